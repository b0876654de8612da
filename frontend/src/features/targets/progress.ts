/**
 * How target progress is shown: values with their unit, the straight-line pace as a share of
 * the period, and the chart options (texts come in already translated).
 */
import type { ChartOption } from '../../components/charts';
import { formatMoney } from '../contracts/money';
import type { TargetProgress } from './api';

const OK = '#52c41a';
const BEHIND = '#faad14';
const PACE = '#1677ff';

/** An amount with its currency, or a count ("1,234"; pace figures keep their decimals). */
export function formatValue(value: string | null | undefined, currency: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (currency) return formatMoney(value, currency);
  const [whole, fraction] = value.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction && !/^0+$/.test(fraction) ? `${grouped}.${fraction}` : grouped;
}

/** Share of the period behind us (days before today ÷ days), in percent, one decimal. */
export function elapsedPercent(item: Pick<TargetProgress, 'days_total' | 'days_left'>): number {
  if (item.days_total <= 0) return 0;
  return Math.round(((item.days_total - item.days_left) / item.days_total) * 1000) / 10;
}

/** Where the gauge ends: 100 %, or further (by tens) when the target is beaten. */
export function gaugeMax(percent: number): number {
  return percent <= 100 ? 100 : Math.min(300, Math.ceil(percent / 10) * 10);
}

export function gaugeOption(item: TargetProgress, labels: { pace: string }): ChartOption {
  const percent = Number(item.percent);
  const max = gaugeMax(percent);
  const pace = elapsedPercent(item);
  const color = item.on_track ? OK : BEHIND;
  return {
    series: [
      {
        type: 'gauge',
        min: 0,
        max,
        startAngle: 210,
        endAngle: -30,
        radius: '95%',
        progress: { show: true, width: 12, itemStyle: { color } },
        axisLine: { lineStyle: { width: 12 } },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        pointer: { show: false },
        anchor: { show: false },
        title: { show: false },
        detail: { valueAnimation: false, offsetCenter: [0, '5%'], fontSize: 20, formatter: `${item.percent}%`, color },
        data: [{ value: Math.min(percent, max) }],
      },
      {
        // the straight-line pace: where the subject should be by today
        type: 'gauge',
        min: 0,
        max,
        startAngle: 210,
        endAngle: -30,
        radius: '95%',
        axisLine: { show: false },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        progress: { show: false },
        pointer: { show: true, length: '18%', width: 4, offsetCenter: [0, '-82%'], itemStyle: { color: PACE } },
        anchor: { show: false },
        title: { show: true, offsetCenter: [0, '40%'], fontSize: 11, color: '#8c8c8c' },
        detail: { show: false },
        data: [{ value: Math.min(pace, max), name: labels.pace }],
      },
    ],
  };
}

/** Attainment of several subjects for one metric, with the pace line. */
export function attainmentOption(items: readonly TargetProgress[], labels: { percent: string; pace: string }): ChartOption {
  const pace = items.length ? elapsedPercent(items[0]) : 0;
  const rows = [...items].reverse();
  return {
    grid: { left: 8, right: 48, top: 24, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: rows.map((i) => i.subject_name) },
    series: [
      {
        type: 'bar',
        name: labels.percent,
        data: rows.map((i) => ({ value: Number(i.percent), itemStyle: { color: i.on_track ? OK : BEHIND } })),
        label: { show: true, position: 'right', formatter: '{c}%' },
        markLine: {
          symbol: 'none',
          lineStyle: { color: PACE, type: 'dashed' },
          label: { formatter: `${labels.pace} ${pace}%` },
          data: [{ xAxis: pace }],
        },
      },
    ],
  };
}
