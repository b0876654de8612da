/**
 * Customer-value data → ECharts options, one pure function per chart. Texts come in already
 * translated; counts and percentages are drawn as numbers, and every figure a person reads
 * in a label or tooltip is the string the API sent.
 */
import type { ChartOption } from '../../components/charts';
import type { Cohorts, Pareto, RfmCubeCell, RfmTier } from './api';

export const SCORES = [1, 2, 3, 4, 5] as const;
/** Which monetary scores a heatmap shows: all summed, or one M score. */
export type MonetaryView = 'all' | 1 | 2 | 3 | 4 | 5;

const TIER_COLORS = ['#cf1322', '#fa8c16', '#1677ff', '#52c41a', '#8c8c8c', '#722ed1', '#13c2c2', '#eb2f96', '#2f54eb', '#faad14'];

/** A tier's colour by its rank (best first), the same on every screen. */
export function tierColor(key: string, tiers: readonly Pick<RfmTier, 'key'>[]): string {
  const rank = tiers.findIndex((t) => t.key === key);
  return rank < 0 ? '#bfbfbf' : TIER_COLORS[rank % TIER_COLORS.length];
}

/** A tier's name in the UI language (its key when the settings no longer name it). */
export function tierName(key: string | null | undefined, tiers: readonly RfmTier[], language: string): string {
  if (!key) return '—';
  const tier = tiers.find((t) => t.key === key);
  if (!tier) return key;
  return language === 'en' ? tier.name_en : tier.name_zh;
}

/** Customers per (R, F) cell for one M score or all of them: a 5 × 5 grid, R rows, F columns. */
export function rfGrid(cube: readonly RfmCubeCell[], view: MonetaryView): number[][] {
  const grid = SCORES.map(() => SCORES.map(() => 0));
  for (const cell of cube) {
    if (view !== 'all' && cell.m !== view) continue;
    grid[cell.r - 1][cell.f - 1] += cell.customers;
  }
  return grid;
}

/** The R × F heatmap: recency up the side, frequency along the bottom, customers in a cell. */
export function rfHeatmapOption(
  cube: readonly RfmCubeCell[],
  view: MonetaryView,
  labels: { recency: string; frequency: string; customers: string },
): ChartOption {
  const grid = rfGrid(cube, view);
  const data = grid.flatMap((row, r) => row.map((count, f) => [f, r, count]));
  const max = Math.max(1, ...data.map((d) => d[2]));
  return {
    tooltip: {
      position: 'top',
      formatter: (p: { value: [number, number, number] }) =>
        `R ${p.value[1] + 1} · F ${p.value[0] + 1}<br/>${labels.customers}: ${p.value[2]}`,
    },
    grid: { left: 36, right: 16, top: 16, bottom: 72, containLabel: true },
    xAxis: { type: 'category', data: SCORES.map(String), name: labels.frequency, nameLocation: 'middle', nameGap: 26, splitArea: { show: true } },
    yAxis: {
      type: 'category',
      data: SCORES.map(String),
      name: labels.recency,
      nameLocation: 'middle',
      nameGap: 26,
      nameRotate: 90,
      splitArea: { show: true },
    },
    visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#f0f5ff', '#1677ff', '#0a2d6e'] } },
    series: [{ type: 'heatmap', data, label: { show: true }, emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } } }],
  };
}

/** Customers per tier, best tier on top. */
export function tierBarOption(
  tiers: readonly { key: string; name_zh: string; name_en: string; customers: number; amount: string }[],
  language: string,
  labels: { customers: string },
): ChartOption {
  const rows = [...tiers].reverse();
  const names = rows.map((t) => (language === 'en' ? t.name_en : t.name_zh));
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: names },
    series: [
      {
        name: labels.customers,
        type: 'bar',
        data: rows.map((t) => ({ value: t.customers, itemStyle: { color: tierColor(t.key, tiers) } })),
        label: { show: true, position: 'right' },
      },
    ],
  };
}

/** The Pareto curve: cumulative revenue share against the share of buyers, largest first,
 * with the line of equal shares and a mark at the head's size. */
export function paretoOption(
  pareto: Pick<Pareto, 'curve' | 'top_percent' | 'top_share'>,
  labels: { customers: string; revenue: string; equal: string },
): ChartOption {
  const points = pareto.curve.map((p) => [Number(p.customer_share), Number(p.revenue_share)]);
  return {
    tooltip: {
      trigger: 'axis',
      formatter: (params: { value: [number, number] }[]) => {
        const [x, y] = params[0].value;
        return `${labels.customers}: ${x}%<br/>${labels.revenue}: ${y}%`;
      },
    },
    grid: { left: 8, right: 24, top: 24, bottom: 32, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, name: labels.customers, nameLocation: 'middle', nameGap: 24, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        name: labels.revenue,
        type: 'line',
        data: points,
        smooth: false,
        areaStyle: { opacity: 0.15 },
        markLine: {
          symbol: 'none',
          label: { formatter: `${pareto.top_percent}% → ${pareto.top_share ?? '—'}%` },
          data: [{ xAxis: pareto.top_percent }],
        },
      },
      {
        name: labels.equal,
        type: 'line',
        data: [
          [0, 0],
          [100, 100],
        ],
        symbol: 'none',
        lineStyle: { type: 'dashed', color: '#bfbfbf' },
      },
    ],
  };
}

/** The cohort heatmap: a row per first-purchase month, a column per month after it; months
 * that have not begun (null) are left blank. */
export function cohortOption(cohorts: Cohorts['cohorts'], labels: { month: string; retention: string }): ChartOption {
  const months = cohorts.map((c) => c.month);
  const data: [number, number, number][] = [];
  cohorts.forEach((cohort, row) => {
    cohort.retention.forEach((value, k) => {
      if (value !== null && cohort.customers > 0) data.push([k, row, Number(value)]);
    });
  });
  return {
    tooltip: {
      position: 'top',
      formatter: (p: { value: [number, number, number] }) =>
        `${months[p.value[1]]} · ${labels.month} ${p.value[0] + 1}<br/>${labels.retention}: ${p.value[2].toFixed(2)}%`,
    },
    grid: { left: 8, right: 16, top: 16, bottom: 72, containLabel: true },
    xAxis: { type: 'category', data: Array.from({ length: 12 }, (_, k) => `+${k + 1}`), name: labels.month, nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'category', data: months, inverse: true },
    visualMap: { min: 0, max: 100, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#f6ffed', '#73d13d', '#135200'] } },
    series: [{ type: 'heatmap', data, label: { show: true, formatter: (p: { value: [number, number, number] }) => `${Math.round(p.value[2])}%` } }],
  };
}
