export { tagKeys, useCreateTag, useDeleteTag, useTags, useUpdateTag } from './api';
export { TAG_COLORS } from './colors';
export { TagChip, TagChips, TagSelect } from './TagChips';
