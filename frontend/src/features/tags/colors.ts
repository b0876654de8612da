/** The preset colours offered when creating a tag (antd's named palette). */
export const TAG_COLORS = [
  'blue',
  'green',
  'gold',
  'orange',
  'red',
  'magenta',
  'purple',
  'cyan',
  'geekblue',
  'lime',
  'volcano',
] as const;
