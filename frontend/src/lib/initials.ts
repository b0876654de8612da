/** The letters an avatar shows for a user's name. */
export function initials(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) return '?';
  // Chinese names read best as their last one or two characters (of the Chinese part, when a
  // name carries both: 周明 Zhou Ming → 周明); Latin names as initials.
  const chinese = trimmed.match(/[\u4e00-\u9fff]+/);
  if (chinese) return chinese[0].slice(-2);
  return trimmed
    .split(/\s+/)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
}
