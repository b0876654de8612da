import { describe, expect, it } from 'vitest';

import { clockView, durationParts, headlineClock } from './sla';
import type { SlaClock, Ticket } from './types';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;

function clock(patch: Partial<SlaClock>): SlaClock {
  return {
    target_minutes: 60,
    due_at: null,
    remaining_seconds: null,
    state: 'running',
    breached: false,
    met_at: null,
    ...patch,
  };
}

const dueIn = (minutes: number) => new Date(NOW + minutes * MIN).toISOString();

describe('clockView', () => {
  it('counts down a running clock against its due time, amber inside the warning lead', () => {
    expect(clockView(clock({ due_at: dueIn(90) }), NOW, 30)).toEqual({ kind: 'left', tone: 'ok', ms: 90 * MIN });
    expect(clockView(clock({ due_at: dueIn(30) }), NOW, 30)).toEqual({ kind: 'left', tone: 'warning', ms: 30 * MIN });
    // The same clock a minute later, with no refetch in between, crosses into the warning.
    const later = clock({ due_at: dueIn(31) });
    expect(clockView(later, NOW, 30)).toMatchObject({ tone: 'ok' });
    expect(clockView(later, NOW + MIN, 30)).toEqual({ kind: 'left', tone: 'warning', ms: 30 * MIN });
  });

  it('turns red once the due time passes, even before the server says breached', () => {
    expect(clockView(clock({ due_at: dueIn(-5) }), NOW)).toEqual({ kind: 'overdue', tone: 'breached', ms: 5 * MIN });
    expect(clockView(clock({ due_at: dueIn(0) }), NOW)).toEqual({ kind: 'overdue', tone: 'breached', ms: 0 });
  });

  it('tells met, met late and still overdue apart', () => {
    expect(clockView(clock({ state: 'met', met_at: dueIn(-10), due_at: dueIn(20) }), NOW)).toEqual({ kind: 'met', tone: 'met' });
    expect(clockView(clock({ state: 'breached', breached: true, met_at: dueIn(-1), due_at: dueIn(-20) }), NOW)).toEqual({
      kind: 'metLate',
      tone: 'breached',
    });
    expect(clockView(clock({ state: 'breached', breached: true, due_at: dueIn(-125) }), NOW)).toEqual({
      kind: 'overdue',
      tone: 'breached',
      ms: 125 * MIN,
    });
  });

  it('shows a paused clock with the working time it has left, and nothing without a target', () => {
    expect(clockView(clock({ state: 'paused', remaining_seconds: 1800, due_at: dueIn(30) }), NOW)).toEqual({
      kind: 'paused',
      tone: 'paused',
      ms: 1800 * 1000,
    });
    expect(clockView(clock({ state: 'none', target_minutes: null }), NOW)).toEqual({ kind: 'none' });
  });
});

describe('durationParts', () => {
  it('keeps the two largest units', () => {
    expect(durationParts((2 * 1440 + 3 * 60 + 59) * MIN)).toEqual({ unit: 'days', d: 2, h: 3, m: 59 });
    expect(durationParts((3 * 60 + 5) * MIN + 59_000)).toEqual({ unit: 'hours', d: 0, h: 3, m: 5 });
    expect(durationParts(12 * MIN)).toEqual({ unit: 'minutes', d: 0, h: 0, m: 12 });
    expect(durationParts(59_999)).toEqual({ unit: 'lessThanMinute', d: 0, h: 0, m: 0 });
    expect(durationParts(-90 * MIN)).toEqual({ unit: 'hours', d: 0, h: 1, m: 30 });
  });
});

describe('headlineClock', () => {
  const ticket = (first: Partial<SlaClock>, resolution: Partial<SlaClock>) =>
    ({ sla: { first_response: clock(first), resolution: clock(resolution) } }) as Ticket;

  it('shows the first response while it is pending, then the resolution', () => {
    expect(headlineClock(ticket({}, {}))?.which).toBe('firstResponse');
    expect(headlineClock(ticket({ state: 'breached', breached: true }, {}))?.which).toBe('firstResponse');
    expect(headlineClock(ticket({ state: 'met', met_at: dueIn(-1) }, {}))?.which).toBe('resolution');
    expect(headlineClock(ticket({ state: 'breached', met_at: dueIn(-1) }, {}))?.which).toBe('resolution');
    expect(headlineClock(ticket({ state: 'met' }, { state: 'none' }))?.which).toBe('firstResponse');
    expect(headlineClock(ticket({ state: 'none' }, { state: 'none' }))).toBeNull();
  });
});
