import { Select, Tag as AntTag } from 'antd';

import type { Tag } from '../../api/types';
import { useTags } from './api';

export function TagChip({ tag }: { tag: Tag }) {
  return (
    <AntTag color={tag.color} bordered={false} style={{ marginInlineEnd: 4 }}>
      {tag.name}
    </AntTag>
  );
}

/** A customer's tags, in the tags' own colours; unknown ids (just deleted) are skipped. */
export function TagChips({ ids }: { ids: readonly string[] }) {
  const { byId } = useTags();
  return (
    <>
      {ids.map((id) => {
        const tag = byId.get(id);
        return tag ? <TagChip key={id} tag={tag} /> : null;
      })}
    </>
  );
}

export function TagSelect({
  value,
  onChange,
  multiple = false,
  placeholder,
  id,
  style,
}: {
  value?: string | string[] | null;
  onChange?: (value: never) => void;
  multiple?: boolean;
  placeholder?: string;
  id?: string;
  style?: React.CSSProperties;
}) {
  const { tags, isPending } = useTags();
  return (
    <Select<string | string[]>
      id={id}
      mode={multiple ? 'multiple' : undefined}
      value={value ?? undefined}
      onChange={(next) => (onChange as ((v: unknown) => void) | undefined)?.(next ?? (multiple ? [] : null))}
      loading={isPending}
      allowClear
      showSearch
      optionFilterProp="label"
      placeholder={placeholder}
      style={{ width: '100%', ...style }}
      options={tags.map((tag) => ({
        value: tag.id,
        label: tag.name,
      }))}
      tagRender={({ label, value: tagId, closable, onClose }) => (
        <AntTag
          color={tags.find((t) => t.id === tagId)?.color}
          closable={closable}
          onClose={onClose}
          bordered={false}
          style={{ marginInlineEnd: 4 }}
        >
          {label}
        </AntTag>
      )}
    />
  );
}
