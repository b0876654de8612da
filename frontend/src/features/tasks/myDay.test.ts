import { describe, expect, it } from 'vitest';

import type { Task } from '../../api/types';
import { dayIn, groupMyDay } from './myDay';

function task(id: string, due_at: string | null, done_at: string | null = null): Task {
  return {
    id,
    title: id,
    due_at,
    done_at,
    assignee_id: 'u1',
    customer_id: null,
    opportunity_id: null,
    activity_id: null,
    kind: 'follow_up',
    notes: null,
    created_at: '2026-03-01T00:00:00Z',
    version: 1,
  };
}

describe('groupMyDay', () => {
  // 2026-03-10 01:30 in Shanghai is still 2026-03-09 in UTC.
  const now = new Date('2026-03-09T17:30:00Z');

  it("uses the workspace's time zone for today", () => {
    expect(dayIn(now, 'Asia/Shanghai')).toBe('2026-03-10');
    expect(dayIn(now, 'UTC')).toBe('2026-03-09');
  });

  it('splits overdue from today and sorts each by due time', () => {
    const groups = groupMyDay(
      [
        task('today-late', '2026-03-10T10:00:00Z'),
        task('yesterday', '2026-03-09T09:00:00Z'),
        task('today-early', '2026-03-09T16:30:00Z'),
        task('last-week', '2026-03-02T01:00:00Z'),
        task('done', '2026-03-08T01:00:00Z', '2026-03-08T02:00:00Z'),
        task('tomorrow', '2026-03-10T17:00:00Z'),
        task('undated', null),
      ],
      now,
      'Asia/Shanghai',
    );
    expect(groups.overdue.map((t) => t.id)).toEqual(['last-week', 'yesterday']);
    expect(groups.today.map((t) => t.id)).toEqual(['today-early', 'today-late']);
    expect(groups.later.map((t) => t.id)).toEqual(['tomorrow', 'undated']);
  });

  it('puts the same task in a different group in another zone', () => {
    const groups = groupMyDay([task('t', '2026-03-09T16:30:00Z')], now, 'UTC');
    expect(groups.today.map((t) => t.id)).toEqual(['t']);
    expect(groupMyDay([task('t', '2026-03-09T15:30:00Z')], now, 'Asia/Shanghai').overdue).toHaveLength(1);
  });
});
