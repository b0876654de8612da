import { describe, expect, it } from 'vitest';

import {
  draftFromCalendar,
  draftIssues,
  draftToPayload,
  emptyDraft,
  holidayRange,
  mergeHolidays,
  minutesOf,
  periodsProblem,
  weeklyMinutes,
} from './calendar';
import type { BusinessCalendar } from './types';

describe('periods', () => {
  it('reads HH:MM up to 24:00', () => {
    expect(minutesOf('09:30')).toBe(570);
    expect(minutesOf(' 24:00 ')).toBe(1440);
    expect(minutesOf('24:30')).toBeNull();
    expect(minutesOf('9:30')).toBeNull();
  });

  it('judges split periods as the server does', () => {
    expect(periodsProblem([{ start: '13:30', end: '18:00' }, { start: '09:00', end: '12:00' }])).toBeNull();
    expect(periodsProblem([{ start: '00:00', end: '24:00' }])).toBeNull();
    expect(periodsProblem([{ start: '09:00', end: '12:00' }, { start: '11:00', end: '18:00' }])).toBe('overlap');
    expect(periodsProblem([{ start: '12:00', end: '09:00' }])).toBe('order');
    expect(periodsProblem([{ start: '24:00', end: '24:00' }])).toBe('format');
    expect(periodsProblem([{ start: '', end: '18:00' }])).toBe('format');
    // Touching periods are fine: 12:00 ends one and starts the next.
    expect(periodsProblem([{ start: '09:00', end: '12:00' }, { start: '12:00', end: '13:00' }])).toBeNull();
  });
});

describe('draft → payload', () => {
  it('starts with split office hours Monday to Friday in the workspace zone', () => {
    const payload = draftToPayload({ ...emptyDraft('Asia/Shanghai'), name: ' 上海办公时间 ' });
    expect(payload.name).toBe('上海办公时间');
    expect(payload.timezone).toBe('Asia/Shanghai');
    expect(payload.weekly_hours).toHaveLength(7);
    expect(payload.weekly_hours[0]).toEqual({
      weekday: 1,
      periods: [
        { start: '09:00', end: '12:00' },
        { start: '13:30', end: '18:00' },
      ],
    });
    // Weekends are sent as days off, so saving an edit clears hours that were removed.
    expect(payload.weekly_hours[5]).toEqual({ weekday: 6, periods: [] });
    expect(payload.weekly_hours[6]).toEqual({ weekday: 7, periods: [] });
    expect(weeklyMinutes(emptyDraft('UTC').weekly)).toBe(5 * 7.5 * 60);
  });

  it('sorts periods and dates, trims names and sends empty names as null', () => {
    const draft = {
      ...emptyDraft('Asia/Shanghai'),
      name: 'CN',
      weekly: [[{ start: '13:30', end: '18:00' }, { start: '09:00', end: '12:00' }], [], [], [], [], [], []],
      holidays: [
        { date: '2026-10-02', name: '' },
        { date: '2026-10-01', name: ' 国庆节 ' },
      ],
      workdays: [{ date: '2026-09-27', name: '国庆调休', periods: [{ start: ' 09:00', end: '18:00 ' }] }],
    };
    const payload = draftToPayload(draft);
    expect(payload.weekly_hours[0].periods.map((p) => p.start)).toEqual(['09:00', '13:30']);
    expect(payload.holidays).toEqual([
      { date: '2026-10-01', name: '国庆节' },
      { date: '2026-10-02', name: null },
    ]);
    expect(payload.workdays).toEqual([{ date: '2026-09-27', name: '国庆调休', periods: [{ start: '09:00', end: '18:00' }] }]);
  });

  it('round-trips a stored calendar', () => {
    const stored: BusinessCalendar = {
      id: 'cal-1',
      name: 'Shanghai',
      timezone: 'Asia/Shanghai',
      weekly_hours: [
        { weekday: 1, periods: [{ start: '09:00', end: '18:00' }] },
        { weekday: 6, periods: [{ start: '10:00', end: '14:00' }] },
      ],
      holidays: [{ date: '2026-01-01', name: '元旦' }],
      workdays: [{ date: '2026-02-15', name: null, periods: [{ start: '09:00', end: '18:00' }] }],
      version: 3,
    };
    const draft = draftFromCalendar(stored);
    expect(draft.weekly[0]).toEqual([{ start: '09:00', end: '18:00' }]);
    expect(draft.weekly[1]).toEqual([]);
    expect(draft.weekly[5]).toEqual([{ start: '10:00', end: '14:00' }]);
    const payload = draftToPayload(draft);
    expect(payload.weekly_hours.filter((d) => d.periods.length > 0)).toEqual(stored.weekly_hours);
    expect(payload.holidays).toEqual(stored.holidays);
    expect(payload.workdays).toEqual(stored.workdays);
  });
});

describe('draftIssues', () => {
  it('finds what the server would refuse', () => {
    const draft = {
      ...emptyDraft('UTC'),
      weekly: [[{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }], [], [], [], [], [], []],
      holidays: [
        { date: '2026-10-01', name: '' },
        { date: '2026-10-01', name: '' },
      ],
      workdays: [
        { date: '2026-10-01', name: '', periods: [{ start: '09:00', end: '18:00' }] },
        { date: '', name: '', periods: [] },
      ],
    };
    expect(draftIssues(draft)).toEqual([
      { where: 'name', problem: 'required' },
      { where: 'weekday', index: 0, problem: 'overlap' },
      { where: 'holiday', index: 1, problem: 'duplicate' },
      { where: 'workday', index: 1, problem: 'date' },
      { where: 'workday', index: 1, problem: 'noHours' },
      { where: 'both', date: '2026-10-01', problem: 'holidayAndWorkday' },
    ]);
  });

  it('needs working hours on some day', () => {
    const draft = { ...emptyDraft('UTC'), name: 'x', weekly: Array.from({ length: 7 }, () => []) };
    expect(draftIssues(draft)).toEqual([{ where: 'weekly', problem: 'noHours' }]);
    expect(draftIssues({ ...emptyDraft('UTC'), name: 'x' })).toEqual([]);
  });
});

describe('holidays', () => {
  it('expands a range across a month end and replaces days already listed', () => {
    const golden = holidayRange('2026-09-30', '2026-10-02', '国庆节');
    expect(golden.map((h) => h.date)).toEqual(['2026-09-30', '2026-10-01', '2026-10-02']);
    expect(holidayRange('2026-10-02', '2026-10-01', 'x')).toEqual([]);
    const merged = mergeHolidays(
      [
        { date: '2026-10-01', name: 'old' },
        { date: '2026-01-01', name: '元旦' },
      ],
      golden,
    );
    expect(merged.map((h) => `${h.date} ${h.name}`)).toEqual(['2026-01-01 元旦', '2026-09-30 国庆节', '2026-10-01 国庆节', '2026-10-02 国庆节']);
  });
});
