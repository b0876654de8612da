/**
 * SLA countdown badges: what a clock from the API says at a given moment. The server sends
 * each clock's state and due time as of the response; between refetches the badge keeps
 * counting down against `due_at` (wall-clock time), so it turns amber and then red on time.
 */
import type { SlaClock, Ticket } from './types';

/** Used when the policy (and so its warning lead) is not known to the browser. */
export const DEFAULT_WARNING_MINUTES = 30;

export type ClockTone = 'ok' | 'warning' | 'breached' | 'met' | 'paused';

export type ClockView =
  | { kind: 'none' }
  | { kind: 'left'; tone: 'ok' | 'warning'; ms: number }
  | { kind: 'overdue'; tone: 'breached'; ms: number }
  | { kind: 'met'; tone: 'met' }
  | { kind: 'metLate'; tone: 'breached' }
  | { kind: 'paused'; tone: 'paused'; ms: number | null };

const MINUTE = 60_000;

/** The badge for one clock at `now` (ms since the epoch). */
export function clockView(clock: SlaClock, now: number, warningMinutes = DEFAULT_WARNING_MINUTES): ClockView {
  const due = clock.due_at ? Date.parse(clock.due_at) : NaN;
  switch (clock.state) {
    case 'none':
      return { kind: 'none' };
    case 'met':
      return { kind: 'met', tone: 'met' };
    case 'paused':
      return {
        kind: 'paused',
        tone: 'paused',
        ms: clock.remaining_seconds === null ? null : clock.remaining_seconds * 1000,
      };
    case 'breached':
      if (clock.met_at) return { kind: 'metLate', tone: 'breached' };
      if (Number.isNaN(due)) return { kind: 'overdue', tone: 'breached', ms: 0 };
      return { kind: 'overdue', tone: 'breached', ms: Math.max(0, now - due) };
    case 'running': {
      if (Number.isNaN(due)) return { kind: 'none' };
      const left = due - now;
      if (left <= 0) return { kind: 'overdue', tone: 'breached', ms: now - due };
      return { kind: 'left', tone: left <= warningMinutes * MINUTE ? 'warning' : 'ok', ms: left };
    }
  }
}

export interface DurationParts {
  /** Which catalogue text fits: `tickets.duration.<unit>`. */
  unit: 'days' | 'hours' | 'minutes' | 'lessThanMinute';
  d: number;
  h: number;
  m: number;
}

/** A duration, coarsened to the two largest units a glance needs (2d 3h, 3h 5m, 12m). */
export function durationParts(ms: number): DurationParts {
  const minutes = Math.floor(Math.abs(ms) / MINUTE);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return { unit: 'days', d, h, m };
  if (h > 0) return { unit: 'hours', d, h, m };
  if (m > 0) return { unit: 'minutes', d, h, m };
  return { unit: 'lessThanMinute', d, h, m };
}

/**
 * The clock a list row shows: the first response while it still matters, else resolution.
 * Null when neither has a target.
 */
export function headlineClock(ticket: Ticket): { which: 'firstResponse' | 'resolution'; clock: SlaClock } | null {
  const { first_response: first, resolution } = ticket.sla;
  const firstPending = first.state === 'running' || first.state === 'paused' || (first.state === 'breached' && !first.met_at);
  if (firstPending) return { which: 'firstResponse', clock: first };
  if (resolution.state !== 'none') return { which: 'resolution', clock: resolution };
  if (first.state !== 'none') return { which: 'firstResponse', clock: first };
  return null;
}
