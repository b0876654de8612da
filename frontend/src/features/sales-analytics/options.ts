/**
 * Pipeline analytics → ECharts options, one pure function per chart. Labels arrive already
 * translated; money stays the API's decimal string for every figure a person reads and
 * becomes a number only for the length of a bar.
 */
import type { ChartOption } from '../../components/charts';
import { formatMoney } from '../contracts/money';
import { compact, localName, num } from '../dashboard/options';
import type { CampaignRoiRow, ForecastMonth, FunnelStage, LostReasonRow, SalesCycle } from './types';

const BLUE = '#1677ff';
const GREEN = '#52c41a';
const GOLD = '#faad14';
const RED = '#cf1322';
const LIGHT = '#91caff';
const GRID = { left: 8, right: 24, top: 40, bottom: 8, containLabel: true };

type Param = { dataIndex: number };
function first(params: unknown): Param {
  return (Array.isArray(params) ? params[0] : params) as Param;
}

/** Stage by stage how many deals of the cohort entered, with the conversion to the next. */
export function funnelChartOption(
  stages: readonly FunnelStage[],
  language: string,
  labels: { entered: string; conversion: string },
): ChartOption {
  const largest = Math.max(1, ...stages.map((s) => s.entered));
  const shades = [BLUE, '#4096ff', '#69b1ff', LIGHT];
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const stage = stages[first(p).dataIndex];
        const lines = [localName(stage, language), `${labels.entered}: ${stage.entered}`];
        if (stage.conversion_rate !== null) lines.push(`${labels.conversion}: ${stage.conversion_rate}%`);
        return lines.join('<br/>');
      },
    },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        left: '2%',
        width: '58%',
        top: 8,
        bottom: 8,
        min: 0,
        max: largest,
        minSize: '12%',
        gap: 2,
        label: {
          show: true,
          position: 'right',
          color: '#262626',
          formatter: (p: Param) => {
            const stage = stages[p.dataIndex];
            const rate = stage.conversion_rate === null ? '' : `  → ${stage.conversion_rate}%`;
            return `${localName(stage, language)}  ${stage.entered}${rate}`;
          },
        },
        labelLine: { show: true, length: 12 },
        data: stages.map((s, i) => ({
          name: localName(s, language),
          value: s.entered,
          itemStyle: { color: s.kind === 'won' ? GREEN : shades[Math.min(i, shades.length - 1)] },
        })),
      },
    ],
  };
}

/** Won, commit, best case and weighted pipeline per month as bars; the target as a line. */
export function forecastChartOption(
  months: readonly ForecastMonth[],
  currency: string,
  language: string,
  labels: { won: string; commit: string; bestCase: string; weighted: string; target: string },
): ChartOption {
  const bars: [string, 'won' | 'commit' | 'best_case' | 'weighted', string][] = [
    [labels.won, 'won', GREEN],
    [labels.commit, 'commit', BLUE],
    [labels.bestCase, 'best_case', LIGHT],
    [labels.weighted, 'weighted', GOLD],
  ];
  const hasTarget = months.some((m) => m.target !== null);
  return {
    grid: { ...GRID, top: 48 },
    legend: { top: 0, type: 'scroll' },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const month = months[first(params).dataIndex];
        const rows: [string, string | null][] = [...bars.map(([n, key]) => [n, month[key]] as [string, string]), [labels.target, month.target]];
        return [month.month, ...rows.map(([n, value]) => `${n}: ${value === null ? '—' : formatMoney(value, currency)}`)].join('<br/>');
      },
    },
    xAxis: { type: 'category', data: months.map((m) => m.month) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v, language) } },
    series: [
      ...bars.map(([n, key, color]) => ({ type: 'bar', name: n, color, barMaxWidth: 14, data: months.map((m) => num(m[key])) })),
      ...(hasTarget
        ? [
            {
              type: 'line',
              name: labels.target,
              color: RED,
              step: 'middle',
              symbol: 'circle',
              symbolSize: 6,
              connectNulls: false,
              lineStyle: { type: 'dashed', width: 2 },
              data: months.map((m) => (m.target === null ? null : num(m.target))),
            },
          ]
        : []),
    ],
  };
}

/** Coverage as a gauge in "×" of what is left to win: red under 1×, gold to 3×, green above. */
export function coverageGaugeOption(coverage: string | null, labels: { title: string }): ChartOption {
  const value = num(coverage);
  const max = Math.max(4, Math.ceil(value));
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
        axisLine: {
          lineStyle: {
            width: 12,
            color: [
              [1 / max, RED],
              [3 / max, GOLD],
              [1, GREEN],
            ],
          },
        },
        pointer: { width: 4, length: '60%' },
        axisTick: { show: false },
        splitLine: { length: 8 },
        splitNumber: max,
        axisLabel: { distance: 14, fontSize: 10, formatter: (v: number) => `${v}×` },
        title: { offsetCenter: [0, '70%'], fontSize: 12, color: '#595959' },
        detail: { offsetCenter: [0, '36%'], fontSize: 20, fontWeight: 600, formatter: () => (coverage === null ? '—' : `${coverage}×`) },
        data: [{ value, name: labels.title }],
      },
    ],
  };
}

/** Lost deals per reason, most frequent on top, the share on the bar. */
export function lostReasonsOption(rows: readonly LostReasonRow[], language: string, labels: { none: string; deals: string }): ChartOption {
  const name = (r: LostReasonRow) =>
    r.label_zh || r.label_en ? localName({ name_zh: r.label_zh ?? '', name_en: r.label_en ?? '' }, language) : labels.none;
  return {
    grid: { ...GRID, top: 8, right: 56 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const row = rows[first(params).dataIndex];
        return [
          name(row),
          `${labels.deals}: ${row.deals} (${row.share}%)`,
          ...row.amounts.map((a) => formatMoney(a.amount, a.currency)),
        ].join('<br/>');
      },
    },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: rows.map(name), axisLabel: { width: 110, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 18,
        color: '#ff7875',
        data: rows.map((r) => r.deals),
        label: { show: true, position: 'right', formatter: (p: Param) => `${rows[p.dataIndex].share}%` },
      },
    ],
  };
}

/** Won amount per yuan spent, one bar per campaign with a cost; 1× marked. */
export function campaignRoiOption(rows: readonly CampaignRoiRow[], labels: { roi: string; breakEven: string }): ChartOption {
  const costed = rows.filter((r) => r.roi !== null);
  return {
    grid: { ...GRID, top: 16, right: 48 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const row = costed[first(params).dataIndex];
        return [
          row.name,
          `${labels.roi}: ${row.roi}×`,
          `${formatMoney(row.won_amount, row.currency)} / ${formatMoney(row.actual_cost ?? '0', row.currency)}`,
        ].join('<br/>');
      },
    },
    xAxis: { type: 'value', axisLabel: { formatter: '{value}×' } },
    yAxis: { type: 'category', inverse: true, data: costed.map((r) => r.name), axisLabel: { width: 110, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 18,
        data: costed.map((r) => ({ value: num(r.roi), itemStyle: { color: num(r.roi) >= 1 ? GREEN : GOLD } })),
        label: { show: true, position: 'right', formatter: (p: Param) => `${costed[p.dataIndex].roi}×` },
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: RED, type: 'dashed' },
          label: { formatter: labels.breakEven, position: 'end' },
          data: [{ xAxis: 1 }],
        },
      },
    ],
  };
}

/** Mean days the won deals spent in each open stage. */
export function cycleStagesOption(cycle: SalesCycle, language: string, labels: { days: string; deals: string }): ChartOption {
  const stages = cycle.stages;
  return {
    grid: { ...GRID, top: 8, right: 48 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const stage = stages[first(params).dataIndex];
        return [localName(stage, language), `${labels.days}: ${stage.avg_days ?? '—'}`, `${labels.deals}: ${stage.deals}`].join('<br/>');
      },
    },
    xAxis: { type: 'value', name: labels.days, nameLocation: 'end' },
    yAxis: { type: 'category', inverse: true, data: stages.map((s) => localName(s, language)), axisLabel: { width: 96, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 18,
        color: BLUE,
        data: stages.map((s) => (s.avg_days === null ? 0 : num(s.avg_days))),
        label: { show: true, position: 'right', formatter: (p: Param) => stages[p.dataIndex].avg_days ?? '—' },
      },
    ],
  };
}

/** Forecast months for a period: a year shows its twelve, a quarter its three, else six. */
export function forecastMonths(period: string): number {
  if (/^\d{4}$/.test(period)) return 12;
  if (/^\d{4}-Q[1-4]$/.test(period)) return 3;
  return 6;
}
