/**
 * The server writes some notes in English: why a ticket went to its team or agent ("rule 'VIP', round-robin,
 * next after Li Lei"). The known shapes read in the user's language; anything else (a rule
 * name with odd characters, a future wording) is shown as the server wrote it.
 */
type Translate = (key: string, options?: Record<string, unknown>) => string;

type Rendered = [string, Record<string, unknown>];

const PATTERNS: [RegExp, (m: RegExpMatchArray) => Rendered][] = [
  [
    /^rule '(.*)', (?:team )?round-robin(?:, next after (.+))?$/s,
    (m) => (m[2] ? ['tickets.note.roundRobinAfter', { rule: m[1], name: m[2] }] : ['tickets.note.roundRobin', { rule: m[1] }]),
  ],
  [/^rule '(.*)', least loaded \((\d+) open tickets\)$/s, (m) => ['tickets.note.leastLoaded', { rule: m[1], n: Number(m[2]) }]],
  [/^rule '(.*)', team queue$/s, (m) => ['tickets.note.teamQueue', { rule: m[1] }]],
  [/^rule '(.*)': every agent is inactive or at capacity; waiting in the team queue$/s, (m) => ['tickets.note.unavailable', { rule: m[1] }]],
  [/^no routing rule matched; waiting in the team queue$/, () => ['tickets.note.noMatchTeam', {}]],
  [/^no routing rule matched; waiting in the unassigned queue$/, () => ['tickets.note.noMatch', {}]],
  [/^assigned on creation$/, () => ['tickets.note.onCreation', {}]],
  [/^taken from the queue$/, () => ['tickets.note.taken', {}]],
  [/^assigned by (.+)$/s, (m) => ['tickets.note.assignedBy', { name: m[1] }]],
];

/** The catalogue key and values for a note, or null when it has no known shape. */
export function parseTicketNote(note: string): Rendered | null {
  const text = note.trim();
  for (const [pattern, build] of PATTERNS) {
    const m = text.match(pattern);
    if (m) return build(m);
  }
  return null;
}

export function ticketNoteText(note: string | null | undefined, t: Translate): string | null {
  if (!note?.trim()) return null;
  const parsed = parseTicketNote(note);
  return parsed ? t(parsed[0], parsed[1]) : note;
}

const HISTORY_PATTERNS: [RegExp, (m: RegExpMatchArray) => Rendered][] = [
  [/^first reply$/, () => ['tickets.historyNotes.firstReply', {}]],
  [/^closed automatically (\d+) days after resolution$/, (m) => ['tickets.historyNotes.autoClosed', { n: Number(m[1]) }]],
];

/** A status-history note: the system's own in the user's language, people's as they wrote them. */
export function historyNoteText(note: string | null | undefined, t: Translate): string | null {
  if (!note?.trim()) return null;
  for (const [pattern, build] of HISTORY_PATTERNS) {
    const m = note.trim().match(pattern);
    if (m) {
      const [key, values] = build(m);
      return t(key, values);
    }
  }
  return note;
}
