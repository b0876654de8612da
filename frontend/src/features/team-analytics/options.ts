/** Chart options of the team analytics page (texts come in already translated). */
import type { ChartOption } from '../../components/charts';
import type { ActivityStatsRow, LeaderboardRow } from './api';

/** The follow-up kinds in the order the stacked bars show them (row field → activity kind). */
export const ACTIVITY_FIELDS = [
  ['calls', 'call'],
  ['visits', 'visit'],
  ['meetings', 'meeting'],
  ['emails', 'email'],
  ['wechats', 'wechat'],
  ['notes', 'note'],
  ['return_visits', 'return_visit'],
] as const;

/** Best at the top: horizontal bars of the ranked values. */
export function leaderboardOption(
  rows: readonly LeaderboardRow[],
  seriesName: string,
  format: (value: number) => string = String,
): ChartOption {
  const shown = [...rows].reverse();
  return {
    grid: { left: 8, right: 64, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: shown.map((r) => `${r.rank}. ${r.user_name}`) },
    series: [
      {
        type: 'bar',
        name: seriesName,
        data: shown.map((r) => Number(r.value)),
        itemStyle: { color: '#1677ff' },
        label: { show: true, position: 'right', formatter: (p: { value: number }) => format(p.value) },
      },
    ],
  };
}

/** One stacked bar per person, a segment per follow-up kind. */
export function activityOption(
  rows: readonly ActivityStatsRow[],
  kindLabel: (kind: (typeof ACTIVITY_FIELDS)[number][1]) => string,
): ChartOption {
  const shown = [...rows].reverse();
  return {
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: shown.map((r) => r.user_name) },
    series: ACTIVITY_FIELDS.map(([field, kind]) => ({
      type: 'bar',
      stack: 'kinds',
      name: kindLabel(kind),
      data: shown.map((r) => r[field]),
    })),
  };
}
