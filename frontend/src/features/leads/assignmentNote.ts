/**
 * The server writes why a lead went to its owner in English ("rule 'East China web leads',
 * round-robin, next after Li Lei"). These are its known shapes, so the note reads in the
 * user's language; anything else is shown as the server wrote it.
 */
export type NotePart =
  | { kind: 'roundRobin'; rule: string; after: string | null; team: boolean }
  | { kind: 'weighted'; rule: string; weight: number; total: number }
  | { kind: 'leastLoaded'; rule: string; open: number }
  | { kind: 'fixed'; rule: string; user: string }
  | { kind: 'unavailable'; rule: string }
  | { kind: 'noMatch' }
  | { kind: 'text'; text: string };

const PATTERNS: [RegExp, (m: RegExpMatchArray) => NotePart][] = [
  [
    /^rule '(.*)', (team )?round-robin(?:, next after (.+))?$/s,
    (m) => ({ kind: 'roundRobin', rule: m[1], team: Boolean(m[2]), after: m[3] ?? null }),
  ],
  [
    /^rule '(.*)', weighted round-robin \(weight (\d+) of (\d+)\)$/s,
    (m) => ({ kind: 'weighted', rule: m[1], weight: Number(m[2]), total: Number(m[3]) }),
  ],
  [/^rule '(.*)', least loaded \((\d+) open leads\)$/s, (m) => ({ kind: 'leastLoaded', rule: m[1], open: Number(m[2]) })],
  [/^rule '(.*)', fixed user (.+)$/s, (m) => ({ kind: 'fixed', rule: m[1], user: m[2] })],
  [/^rule '(.*)': every candidate is inactive or at capacity$/s, (m) => ({ kind: 'unavailable', rule: m[1] })],
  [/^no assignment rule matched; waiting in the lead pool$/, () => ({ kind: 'noMatch' })],
];

function parsePart(text: string): NotePart {
  for (const [pattern, build] of PATTERNS) {
    const m = text.match(pattern);
    if (m) return build(m);
  }
  return { kind: 'text', text };
}

/** A note is one reason, or several skipped rules joined by "; " (a rule name may hold one). */
export function parseAssignmentNote(note: string | null | undefined): NotePart[] {
  if (!note?.trim()) return [];
  const parts = note
    .split('; ')
    .map((part) => part.trim())
    .filter(Boolean)
    .map(parsePart);
  if (parts.every((part) => part.kind !== 'text')) return parts;
  return [parsePart(note.trim())];
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

export function notePartText(part: NotePart, t: Translate): string {
  switch (part.kind) {
    case 'roundRobin': {
      const base = t(part.team ? 'leads.note.teamRoundRobin' : 'leads.note.roundRobin', { rule: part.rule });
      return part.after ? `${base}${t('leads.note.after', { name: part.after })}` : base;
    }
    case 'weighted':
      return t('leads.note.weighted', { rule: part.rule, weight: part.weight, total: part.total });
    case 'leastLoaded':
      return t('leads.note.leastLoaded', { rule: part.rule, n: part.open });
    case 'fixed':
      return t('leads.note.fixed', { rule: part.rule, name: part.user });
    case 'unavailable':
      return t('leads.note.unavailable', { rule: part.rule });
    case 'noMatch':
      return t('leads.note.noMatch');
    default:
      return part.text;
  }
}

/** The whole note in the user's language. */
export function assignmentNoteText(note: string | null | undefined, t: Translate): string {
  return parseAssignmentNote(note)
    .map((part) => notePartText(part, t))
    .join(t('leads.note.separator'));
}
