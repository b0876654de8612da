/**
 * Data → ECharts option, one pure function per dashboard chart. Texts come in already
 * translated (`labels`), money stays a decimal string until the chart needs a number to draw
 * (a bar's length); every figure a person reads (tooltip, label) is formatted from the
 * string the API sent, so what is shown is exact to the cent.
 */
import type { ChartOption } from '../../components/charts';
import { formatMoney, toCents } from '../contracts/money';
import { BUCKET_COLORS, BUCKETS, type BucketKey } from '../receivables/aging';

/** The palette of the dashboard (antd's blue, green, gold, purple, cyan, ...). */
export const PALETTE = ['#1677ff', '#52c41a', '#faad14', '#722ed1', '#13c2c2', '#eb2f96', '#fa541c', '#2f54eb'];
const PACE_COLOR = '#fa8c16';
const AHEAD_COLOR = '#52c41a';
const BEHIND_COLOR = '#faad14';
const TARGET_COLOR = '#cf1322';

/** A decimal string as a number to draw (display only: never summed or compared for money). */
export function num(value: string | number | null | undefined): number {
  if (value === null || value === undefined || value === '') return 0;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

/** 1234567 → "123.5万" (zh) / "1.2M" (en): axis ticks, where space is short. */
export function compact(value: number, language: string): string {
  return new Intl.NumberFormat(language === 'en' ? 'en' : 'zh-CN', { notation: 'compact', maximumFractionDigits: 1 }).format(
    value,
  );
}

/** Whether every amount is zero (or missing): the chart would draw nothing. */
export function allZero(values: readonly (string | number | null | undefined)[]): boolean {
  return values.every((value) => (typeof value === 'number' ? value === 0 : (toCents(value) ?? 0n) === 0n));
}

/** A name in the UI language (Chinese unless English is chosen). */
export function localName(item: { name_zh: string; name_en: string }, language: string): string {
  return language === 'en' ? item.name_en || item.name_zh : item.name_zh || item.name_en;
}

const BASE_GRID = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };

type TooltipParam = { seriesName?: string; name?: string; marker?: string; dataIndex: number; value?: unknown };
function asList(params: unknown): TooltipParam[] {
  return (Array.isArray(params) ? params : [params]) as TooltipParam[];
}

// --- targets -----------------------------------------------------------------------------

export interface TargetItem {
  metric: string;
  currency?: string | null;
  target_value: string;
  actual: string;
  percent: string;
  days_total: number;
  days_left: number;
}

/** A target's value as people read it: money with its currency, counts as whole numbers. */
export function targetValue(value: string, currency: string | null | undefined): string {
  if (currency) return formatMoney(value, currency);
  const n = num(value);
  return Number.isInteger(n) ? String(n) : value;
}

/** Share of the period gone by (0–100, one decimal): where a linear pace would stand. */
export function pacePercent(item: Pick<TargetItem, 'days_total' | 'days_left'>): number {
  if (item.days_total <= 0) return 100;
  const gone = Math.min(Math.max(item.days_total - item.days_left, 0), item.days_total);
  return Math.round((gone / item.days_total) * 1000) / 10;
}

/** One target as a gauge: attainment in percent, the pace to date as a mark on the dial. */
export function targetGaugeOption(item: TargetItem, labels: { title: string; detail: string }): ChartOption {
  const percent = num(item.percent);
  const max = Math.max(100, Math.ceil(percent / 50) * 50);
  const pace = pacePercent(item);
  const ahead = percent >= pace;
  return {
    series: [
      {
        type: 'gauge',
        min: 0,
        max,
        startAngle: 210,
        endAngle: -30,
        radius: '92%',
        center: ['50%', '58%'],
        progress: { show: true, width: 12, itemStyle: { color: ahead ? AHEAD_COLOR : BEHIND_COLOR } },
        axisLine: {
          lineStyle: {
            width: 12,
            color: [
              [Math.min(pace / max, 1), '#e6f4ff'],
              [1, '#f0f0f0'],
            ],
          },
        },
        pointer: { show: false },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        anchor: { show: false },
        title: { show: true, offsetCenter: [0, '62%'], fontSize: 12, color: '#595959' },
        detail: {
          valueAnimation: false,
          offsetCenter: [0, '8%'],
          fontSize: 20,
          fontWeight: 600,
          color: '#262626',
          formatter: () => `${item.percent}%`,
        },
        data: [{ value: percent, name: labels.title }],
      },
    ],
    tooltip: { show: true, formatter: () => labels.detail },
  };
}

/** Team targets of one metric: attainment per person or team, the pace to date as a line. */
export function teamTargetsOption(
  items: readonly (TargetItem & { subject_name: string })[],
  labels: { percent: string; pace: string },
  narrow = false,
): ChartOption {
  const rows = [...items].sort((a, b) => num(b.percent) - num(a.percent));
  const pace = rows.length ? pacePercent(rows[0]) : 0;
  return {
    grid: { ...BASE_GRID, top: 24, right: 60 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const p = asList(params)[0];
        const row = rows[p.dataIndex];
        return `${row.subject_name}<br/>${labels.percent}: ${row.percent}%<br/>${targetValue(row.actual, row.currency)} / ${targetValue(row.target_value, row.currency)}`;
      },
    },
    xAxis: {
      type: 'value',
      splitNumber: narrow ? 2 : 5,
      axisLabel: { formatter: '{value}%', hideOverlap: true },
      max: (extent: { max: number }) => Math.max(100, Math.ceil(extent.max / 10) * 10),
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((row) => row.subject_name),
      axisLabel: { width: narrow ? 64 : 96, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        name: labels.percent,
        barMaxWidth: 18,
        data: rows.map((row) => ({
          value: num(row.percent),
          itemStyle: { color: num(row.percent) >= pace ? AHEAD_COLOR : BEHIND_COLOR, borderRadius: [0, 4, 4, 0] },
        })),
        label: { show: true, position: 'right', formatter: (p: { dataIndex: number }) => `${rows[p.dataIndex].percent}%` },
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: PACE_COLOR, type: 'dashed', width: 2 },
          // the category axis runs top-down (inverse), so the line's start is at the top
          label: { formatter: labels.pace, position: 'start', color: PACE_COLOR },
          data: [{ xAxis: pace }],
        },
      },
    ],
  };
}

// --- pipeline ----------------------------------------------------------------------------

export interface FunnelStage {
  stage_id: string;
  name_zh: string;
  name_en: string;
  position: number;
  entered: number;
  advanced: number | null;
  conversion_rate: string | null;
}

/** Stage by stage, how many deals entered; the conversion to the next stage in the tooltip. */
export function funnelOption(
  stages: readonly FunnelStage[],
  language: string,
  labels: { entered: string; conversion: string },
): ChartOption {
  const ordered = [...stages].sort((a, b) => a.position - b.position);
  const largest = Math.max(1, ...ordered.map((s) => s.entered));
  return {
    color: PALETTE,
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const stage = ordered[asList(p)[0].dataIndex];
        const conversion = stage.conversion_rate === null ? '—' : `${stage.conversion_rate}%`;
        return `${localName(stage, language)}<br/>${labels.entered}: ${stage.entered}<br/>${labels.conversion}: ${conversion}`;
      },
    },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        left: '4%',
        width: '92%',
        top: 8,
        bottom: 8,
        min: 0,
        max: largest,
        // wide enough for a stage's name inside even when few deals reached it
        minSize: '36%',
        gap: 2,
        label: {
          show: true,
          position: 'inside',
          color: '#fff',
          formatter: (p: { dataIndex: number }) => {
            const stage = ordered[p.dataIndex];
            return `${localName(stage, language)}  ${stage.entered}`;
          },
        },
        data: ordered.map((stage) => ({ name: localName(stage, language), value: stage.entered })),
      },
    ],
  };
}

export interface ForecastMonth {
  month: string;
  won: string;
  commit: string;
  best_case: string;
  weighted: string;
  target: string | null;
}

/** Months ahead: won, commit, best case and weighted as bars, the target as a line. */
export function forecastOption(
  months: readonly ForecastMonth[],
  currency: string,
  language: string,
  labels: { won: string; commit: string; bestCase: string; weighted: string; target: string },
  narrow = false,
): ChartOption {
  const bars: [string, keyof ForecastMonth, string][] = [
    [labels.won, 'won', '#52c41a'],
    [labels.commit, 'commit', '#1677ff'],
    [labels.bestCase, 'best_case', '#91caff'],
    [labels.weighted, 'weighted', '#722ed1'],
  ];
  const hasTarget = months.some((m) => m.target !== null);
  return {
    // on a phone the legend wraps to two lines rather than hiding entries behind a pager
    grid: { ...BASE_GRID, top: narrow ? 64 : 48 },
    legend: { top: 0, itemWidth: narrow ? 14 : 25, itemGap: narrow ? 6 : 10 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const list = asList(params);
        const month = months[list[0]?.dataIndex ?? 0];
        const lines = [...bars.map(([name, key]) => [name, month[key]] as const), ...(hasTarget ? [[labels.target, month.target] as const] : [])];
        return [month.month, ...lines.map(([name, value]) => `${name}: ${value === null ? '—' : formatMoney(value, currency)}`)].join('<br/>');
      },
    },
    xAxis: { type: 'category', data: months.map((m) => m.month) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v, language), hideOverlap: true } },
    series: [
      ...bars.map(([name, key, color]) => ({
        type: 'bar',
        name,
        color,
        barMaxWidth: 16,
        data: months.map((m) => num(m[key])),
      })),
      ...(hasTarget
        ? [
            {
              type: 'line',
              name: labels.target,
              color: TARGET_COLOR,
              step: 'middle',
              symbol: 'circle',
              symbolSize: 6,
              lineStyle: { type: 'dashed', width: 2 },
              data: months.map((m) => (m.target === null ? null : num(m.target))),
            },
          ]
        : []),
    ],
  };
}

export interface StageTotal {
  name_zh: string;
  name_en: string;
  count: number;
  amount: string;
  weighted: string;
}

/** Open deals by stage: amount and weighted amount in one currency, the count on the bar. */
export function pipelineOption(
  stages: readonly StageTotal[],
  currency: string,
  language: string,
  labels: { amount: string; weighted: string; deals: string },
  narrow = false,
): ChartOption {
  return {
    grid: { ...BASE_GRID, top: 40 },
    legend: { top: 0 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const stage = stages[asList(params)[0]?.dataIndex ?? 0];
        return [
          localName(stage, language),
          `${labels.deals}: ${stage.count}`,
          `${labels.amount}: ${formatMoney(stage.amount, currency)}`,
          `${labels.weighted}: ${formatMoney(stage.weighted, currency)}`,
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: stages.map((s) => localName(s, language)),
      axisLabel: { interval: 0, width: narrow ? 48 : 72, fontSize: narrow ? 10 : 12, overflow: 'break' },
    },
    yAxis: { type: 'value', splitNumber: narrow ? 3 : 5, axisLabel: { formatter: (v: number) => compact(v, language) } },
    series: [
      {
        type: 'bar',
        name: labels.amount,
        color: '#1677ff',
        barMaxWidth: 28,
        data: stages.map((s) => num(s.amount)),
        label: { show: true, position: 'top', formatter: (p: { dataIndex: number }) => String(stages[p.dataIndex].count) },
      },
      { type: 'bar', name: labels.weighted, color: '#91caff', barMaxWidth: 28, data: stages.map((s) => num(s.weighted)) },
    ],
  };
}

// --- team ----------------------------------------------------------------------------------

export interface LeaderRow {
  rank: number;
  user_name: string;
  team_name?: string | null;
  value: string;
  count: number;
}

/** Ranked people, first on top; money metrics with their currency, counts plain. */
export function leaderboardOption(rows: readonly LeaderRow[], currency: string | null, language: string, narrow = false): ChartOption {
  const ordered = [...rows].sort((a, b) => a.rank - b.rank);
  const largest = Math.max(0, ...ordered.map((row) => num(row.value)));
  const text = (row: LeaderRow) => (currency ? formatMoney(row.value, currency) : targetValue(row.value, null));
  return {
    grid: { ...BASE_GRID, top: 8, right: 24 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const row = ordered[asList(params)[0]?.dataIndex ?? 0];
        return `#${row.rank} ${row.user_name}${row.team_name ? ` · ${row.team_name}` : ''}<br/>${text(row)}`;
      },
    },
    xAxis: { type: 'value', splitNumber: narrow ? 2 : 5, axisLabel: { formatter: (v: number) => compact(v, language), hideOverlap: true } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: ordered.map((row) => `${row.rank}. ${row.user_name}`),
      axisLabel: { width: narrow ? 72 : 96, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 18,
        data: ordered.map((row, i) => {
          const value = num(row.value);
          // the figure sits inside a long bar, beside a short one, and nowhere for a zero
          const inside = value >= largest * 0.4;
          return {
            value,
            itemStyle: { color: i < 3 ? '#1677ff' : '#91caff', borderRadius: [0, 4, 4, 0] },
            label: { show: value > 0, position: inside ? 'insideRight' : 'right', color: inside ? '#fff' : '#262626' },
          };
        }),
        label: { show: true, formatter: (p: { dataIndex: number }) => text(ordered[p.dataIndex]) },
      },
    ],
  };
}

export type AgingTotals = Record<BucketKey, string> & { currency: string };

/** Outstanding money by days past due, one bar per bucket in its traffic-light colour. */
export function agingOption(
  totals: AgingTotals,
  language: string,
  bucketLabel: (key: BucketKey) => string,
  narrow = false,
): ChartOption {
  return {
    grid: { ...BASE_GRID, top: 24 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const key = BUCKETS[asList(params)[0]?.dataIndex ?? 0];
        return `${bucketLabel(key)}<br/>${formatMoney(totals[key], totals.currency)}`;
      },
    },
    xAxis: {
      type: 'category',
      data: BUCKETS.map(bucketLabel),
      axisLabel: { interval: 0, width: narrow ? 36 : 64, fontSize: narrow ? 10 : 12, overflow: 'break' },
    },
    yAxis: { type: 'value', splitNumber: narrow ? 3 : 5, axisLabel: { formatter: (v: number) => compact(v, language) } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 40,
        data: BUCKETS.map((key) => ({ value: num(totals[key]), itemStyle: { color: BUCKET_COLORS[key], borderRadius: [4, 4, 0, 0] } })),
      },
    ],
  };
}

// --- business ------------------------------------------------------------------------------

export interface RevenueBucket {
  start: string;
  label: string;
  orders_amount: string;
  payments_amount: string;
}

/** Orders booked and payments received per bucket, two lines. */
export function revenueOption(
  buckets: readonly RevenueBucket[],
  currency: string,
  language: string,
  labels: { orders: string; payments: string },
): ChartOption {
  const series: [string, 'orders_amount' | 'payments_amount', string][] = [
    [labels.orders, 'orders_amount', '#1677ff'],
    [labels.payments, 'payments_amount', '#52c41a'],
  ];
  return {
    grid: { ...BASE_GRID, top: 40 },
    legend: { top: 0 },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const bucket = buckets[asList(params)[0]?.dataIndex ?? 0];
        return [bucket.label, ...series.map(([name, key]) => `${name}: ${formatMoney(bucket[key], currency)}`)].join('<br/>');
      },
    },
    xAxis: { type: 'category', boundaryGap: false, data: buckets.map((b) => b.label) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v, language), hideOverlap: true } },
    series: series.map(([name, key, color]) => ({
      type: 'line',
      name,
      color,
      symbolSize: 6,
      areaStyle: { opacity: 0.08 },
      data: buckets.map((b) => num(b[key])),
    })),
  };
}

export interface RfmTier {
  key: string;
  name_zh: string;
  name_en: string;
  customers: number;
  amount: string;
}

/** Customers per value tier as a doughnut, the tier's amount in the tooltip. */
export function rfmTiersOption(
  tiers: readonly RfmTier[],
  currency: string,
  language: string,
  labels: { customers: string; amount: string },
): ChartOption {
  return {
    color: PALETTE,
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const tier = tiers[asList(p)[0].dataIndex];
        return `${localName(tier, language)}<br/>${labels.customers}: ${tier.customers}<br/>${labels.amount}: ${formatMoney(tier.amount, currency)}`;
      },
    },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        radius: ['38%', '66%'],
        center: ['50%', '44%'],
        avoidLabelOverlap: true,
        label: { show: true, formatter: '{d}%' },
        // an empty tier stays in the legend but gets no slice label
        data: tiers.map((tier) => ({
          name: localName(tier, language),
          value: tier.customers,
          ...(tier.customers === 0 ? { label: { show: false }, labelLine: { show: false } } : {}),
        })),
      },
    ],
  };
}

export interface ParetoPoint {
  customer_share: string;
  revenue_share: string;
}

/** The cumulative revenue curve (customers ranked by revenue), the even split, the 20 % mark. */
export function paretoOption(
  curve: readonly ParetoPoint[],
  topShare: string,
  labels: { customerShare: string; revenueShare: string; even: string },
): ChartOption {
  const points = [[0, 0], ...curve.map((p) => [num(p.customer_share), num(p.revenue_share)])];
  return {
    grid: { ...BASE_GRID, top: 40, bottom: 28 },
    legend: { top: 0 },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const p = asList(params)[0];
        const [x, y] = (p.value as number[]) ?? [0, 0];
        return `${labels.customerShare}: ${x}%<br/>${labels.revenueShare}: ${y}%`;
      },
    },
    xAxis: { type: 'value', min: 0, max: 100, name: labels.customerShare, nameLocation: 'middle', nameGap: 24, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'line',
        name: labels.revenueShare,
        color: '#1677ff',
        showSymbol: false,
        areaStyle: { opacity: 0.12 },
        data: points,
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: TARGET_COLOR, type: 'dashed' },
          label: { formatter: `${topShare}%`, color: TARGET_COLOR },
          data: [
            [{ coord: [20, 0] }, { coord: [20, num(topShare)] }],
            [{ coord: [0, num(topShare)], label: { show: false } }, { coord: [20, num(topShare)] }],
          ],
        },
      },
      {
        type: 'line',
        name: labels.even,
        color: '#bfbfbf',
        showSymbol: false,
        lineStyle: { type: 'dotted' },
        data: [
          [0, 0],
          [100, 100],
        ],
      },
    ],
  };
}
