/**
 * The business-calendar editor's state and its API payload. The editor keeps every weekday
 * (Monday first), with zero or more periods a day (split shifts such as 09:00–12:00 and
 * 13:30–18:00), holidays (no work) and make-up working days (调休) with their own hours.
 */
import type { BusinessCalendar, BusinessCalendarCreate } from './types';

export interface PeriodDraft {
  start: string;
  end: string;
}

export interface HolidayDraft {
  date: string;
  name: string;
}

export interface WorkdayDraft {
  date: string;
  name: string;
  periods: PeriodDraft[];
}

export interface CalendarDraft {
  name: string;
  timezone: string;
  /** Index 0 = Monday … 6 = Sunday (ISO weekday − 1). */
  weekly: PeriodDraft[][];
  holidays: HolidayDraft[];
  workdays: WorkdayDraft[];
}

export type PeriodProblem = 'format' | 'order' | 'overlap';

const HHMM = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

export const OFFICE_HOURS: PeriodDraft[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '18:00' },
];

/** '09:30' → 570, '24:00' → 1440; null for anything else. */
export function minutesOf(text: string): number | null {
  const value = text.trim();
  if (!HHMM.test(value)) return null;
  const [h, m] = value.split(':').map(Number);
  return h * 60 + m;
}

/** A new calendar: office hours Monday to Friday in the given zone. */
export function emptyDraft(timezone: string): CalendarDraft {
  return {
    name: '',
    timezone,
    weekly: Array.from({ length: 7 }, (_, i) => (i < 5 ? OFFICE_HOURS.map((p) => ({ ...p })) : [])),
    holidays: [],
    workdays: [],
  };
}

export function draftFromCalendar(calendar: BusinessCalendar): CalendarDraft {
  const weekly: PeriodDraft[][] = Array.from({ length: 7 }, () => []);
  for (const day of calendar.weekly_hours) {
    if (day.weekday >= 1 && day.weekday <= 7) weekly[day.weekday - 1] = day.periods.map((p) => ({ ...p }));
  }
  return {
    name: calendar.name,
    timezone: calendar.timezone,
    weekly,
    holidays: calendar.holidays.map((h) => ({ date: h.date, name: h.name ?? '' })),
    workdays: calendar.workdays.map((w) => ({ date: w.date, name: w.name ?? '', periods: w.periods.map((p) => ({ ...p })) })),
  };
}

/** What is wrong with one day's periods, as the server would judge it; null when fine. */
export function periodsProblem(periods: PeriodDraft[]): PeriodProblem | null {
  const spans: [number, number][] = [];
  for (const p of periods) {
    const start = minutesOf(p.start);
    const end = minutesOf(p.end);
    if (start === null || end === null || start === 1440) return 'format';
    if (end <= start) return 'order';
    spans.push([start, end]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i += 1) {
    if (spans[i][0] < spans[i - 1][1]) return 'overlap';
  }
  return null;
}

function sortedPeriods(periods: PeriodDraft[]): PeriodDraft[] {
  return periods
    .map((p) => ({ start: p.start.trim(), end: p.end.trim() }))
    .sort((a, b) => (minutesOf(a.start) ?? 0) - (minutesOf(b.start) ?? 0));
}

function byDate<T extends { date: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * The create/update body: all seven weekdays (a day without periods is a day off, so an
 * update clears it), periods in order, dates in order, empty names as null.
 */
export function draftToPayload(draft: CalendarDraft): BusinessCalendarCreate {
  return {
    name: draft.name.trim(),
    timezone: draft.timezone.trim() || null,
    weekly_hours: draft.weekly.map((periods, i) => ({ weekday: i + 1, periods: sortedPeriods(periods) })),
    holidays: byDate(draft.holidays).map((h) => ({ date: h.date, name: h.name.trim() || null })),
    workdays: byDate(draft.workdays).map((w) => ({
      date: w.date,
      name: w.name.trim() || null,
      periods: sortedPeriods(w.periods),
    })),
  };
}

export type DraftIssue =
  | { where: 'name'; problem: 'required' }
  | { where: 'weekly'; problem: 'noHours' }
  | { where: 'weekday'; index: number; problem: PeriodProblem }
  | { where: 'holiday' | 'workday'; index: number; problem: 'date' | 'duplicate' }
  | { where: 'workday'; index: number; problem: PeriodProblem | 'noHours' }
  | { where: 'both'; date: string; problem: 'holidayAndWorkday' };

/** Everything the server would refuse, found before saving (the server checks again). */
export function draftIssues(draft: CalendarDraft): DraftIssue[] {
  const issues: DraftIssue[] = [];
  if (!draft.name.trim()) issues.push({ where: 'name', problem: 'required' });
  draft.weekly.forEach((periods, index) => {
    const problem = periodsProblem(periods);
    if (problem) issues.push({ where: 'weekday', index, problem });
  });
  if (draft.weekly.every((periods) => periods.length === 0)) issues.push({ where: 'weekly', problem: 'noHours' });
  const seen = { holiday: new Set<string>(), workday: new Set<string>() };
  draft.holidays.forEach((h, index) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(h.date)) issues.push({ where: 'holiday', index, problem: 'date' });
    else if (seen.holiday.has(h.date)) issues.push({ where: 'holiday', index, problem: 'duplicate' });
    seen.holiday.add(h.date);
  });
  draft.workdays.forEach((w, index) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(w.date)) issues.push({ where: 'workday', index, problem: 'date' });
    else if (seen.workday.has(w.date)) issues.push({ where: 'workday', index, problem: 'duplicate' });
    seen.workday.add(w.date);
    if (w.periods.length === 0) issues.push({ where: 'workday', index, problem: 'noHours' });
    else {
      const problem = periodsProblem(w.periods);
      if (problem) issues.push({ where: 'workday', index, problem });
    }
  });
  for (const date of seen.workday) {
    if (seen.holiday.has(date)) issues.push({ where: 'both', date, problem: 'holidayAndWorkday' });
  }
  return issues;
}

/** Working minutes in a plain week (no holidays), for the summary line. */
export function weeklyMinutes(weekly: PeriodDraft[][]): number {
  let total = 0;
  for (const periods of weekly) {
    for (const p of periods) {
      const start = minutesOf(p.start);
      const end = minutesOf(p.end);
      if (start !== null && end !== null && end > start) total += end - start;
    }
  }
  return total;
}

/** Every date from `from` to `to` (YYYY-MM-DD, inclusive) as holidays named `name`, at most a year. */
export function holidayRange(from: string, to: string, name: string): HolidayDraft[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return [];
  const days: HolidayDraft[] = [];
  for (let t = start; t <= end && days.length < 366; t += 86_400_000) {
    days.push({ date: new Date(t).toISOString().slice(0, 10), name });
  }
  return days;
}

/** Adds holidays, replacing any on the same dates, kept in date order. */
export function mergeHolidays(existing: HolidayDraft[], added: HolidayDraft[]): HolidayDraft[] {
  const dates = new Set(added.map((h) => h.date));
  return byDate([...existing.filter((h) => !dates.has(h.date)), ...added]);
}
