import { describe, expect, it } from 'vitest';

import { firstMonth, funnelQuery } from './api';
import { filtersFrom } from './filters';
import {
  campaignRoiOption,
  coverageGaugeOption,
  cycleStagesOption,
  forecastChartOption,
  forecastMonths,
  funnelChartOption,
  lostReasonsOption,
} from './options';
import type { CampaignRoiRow, ForecastMonth, FunnelStage, SalesCycle } from './types';

type Series = { type: string; name?: string; data: unknown[]; markLine?: { data: unknown[] } };
const seriesOf = (option: object) => (option as { series: Series[] }).series;
const tooltip = (option: object, dataIndex: number) =>
  (option as { tooltip: { formatter: (p: unknown) => string } }).tooltip.formatter([{ dataIndex }]);

const stage = (over: Partial<FunnelStage>): FunnelStage => ({
  stage_id: 's',
  name_zh: '初步接洽',
  name_en: 'Initial contact',
  position: 0,
  kind: 'open',
  entered: 8,
  advanced: 6,
  conversion_rate: '75.00',
  ...over,
});

const month = (over: Partial<ForecastMonth>): ForecastMonth => ({
  month: '2026-12',
  won: '1500.00',
  commit: '13845.67',
  best_case: '37178.96',
  weighted: '21709.87',
  open_deals: 3,
  target: '40000.00',
  ...over,
});

describe('funnel chart', () => {
  it('draws entered deals per stage in order, the won stage last and green', () => {
    const option = funnelChartOption(
      [stage({}), stage({ stage_id: 'w', name_zh: '赢单', name_en: 'Won', position: 4, kind: 'won', entered: 3, advanced: null, conversion_rate: null })],
      'zh-CN',
      { entered: '进入', conversion: '转入下一阶段' },
    );
    const [funnel] = seriesOf(option);
    expect(funnel.type).toBe('funnel');
    expect(funnel.data).toEqual([
      expect.objectContaining({ name: '初步接洽', value: 8 }),
      expect.objectContaining({ name: '赢单', value: 3, itemStyle: { color: '#52c41a' } }),
    ]);
    expect(tooltip(option, 0)).toBe('初步接洽<br/>进入: 8<br/>转入下一阶段: 75.00%');
    expect(tooltip(option, 1)).toBe('赢单<br/>进入: 3');
  });
});

describe('forecast chart', () => {
  const labels = { won: 'Won', commit: 'Commit', bestCase: 'Best case', weighted: 'Weighted', target: 'Target' };

  it('has four bars per month and a dashed target line with gaps where no target is set', () => {
    const option = forecastChartOption([month({}), month({ month: '2027-01', won: '0.00', target: null })], 'CNY', 'en', labels);
    const series = seriesOf(option);
    expect(series.map((s) => `${s.type}:${s.name}`)).toEqual(['bar:Won', 'bar:Commit', 'bar:Best case', 'bar:Weighted', 'line:Target']);
    expect(series[2].data).toEqual([37178.96, 37178.96]);
    expect(series[4].data).toEqual([40000, null]);
    expect(tooltip(option, 0)).toContain('Weighted: ¥21,709.87');
    expect(tooltip(option, 1)).toContain('Target: —');
  });

  it('leaves the target line out when no month has one', () => {
    const option = forecastChartOption([month({ target: null })], 'USD', 'en', labels);
    expect(seriesOf(option).map((s) => s.type)).toEqual(['bar', 'bar', 'bar', 'bar']);
  });
});

describe('coverage gauge', () => {
  it('shows the ratio the API computed, on a scale of at least 4×', () => {
    const option = coverageGaugeOption('0.93', { title: 'Open ÷ to go' }) as { series: { max: number; data: { value: number }[]; detail: { formatter: () => string } }[] };
    expect(option.series[0].max).toBe(4);
    expect(option.series[0].data[0].value).toBe(0.93);
    expect(option.series[0].detail.formatter()).toBe('0.93×');
    const big = coverageGaugeOption('6.20', { title: '' }) as { series: { max: number }[] };
    expect(big.series[0].max).toBe(7);
  });
});

describe('lost reasons, campaign ROI and cycle charts', () => {
  it('names a missing reason', () => {
    const option = lostReasonsOption(
      [
        { lost_reason_id: 'r', label_zh: '价格过高', label_en: 'Price too high', deals: 2, share: '50.00', amounts: [{ currency: 'CNY', amount: '8500.00' }] },
        { lost_reason_id: null, label_zh: null, label_en: null, deals: 1, share: '25.00', amounts: [] },
      ],
      'en',
      { none: 'No reason given', deals: 'Deals' },
    ) as { yAxis: { data: string[] } };
    expect(option.yAxis.data).toEqual(['Price too high', 'No reason given']);
    expect(tooltip(option, 0)).toBe('Price too high<br/>Deals: 2 (50.00%)<br/>¥8,500.00');
  });

  it('draws only campaigns with a cost, with the break-even at 1×', () => {
    const row = (name: string, roi: string | null): CampaignRoiRow => ({
      campaign_id: name,
      name,
      channel: null,
      status: 'active',
      currency: 'CNY',
      actual_cost: roi === null ? null : '6000.00',
      leads: 2,
      deals: 3,
      won_deals: 2,
      won_amount: '15000.00',
      open_amount: '0.00',
      roi,
    });
    const option = campaignRoiOption([row('展会 2026', '2.50'), row('WeChat ads', null), row('Old mailing', '0.00')], { roi: 'Return', breakEven: 'Break-even' }) as {
      yAxis: { data: string[] };
    };
    expect(option.yAxis.data).toEqual(['展会 2026', 'Old mailing']);
    const [bars] = seriesOf(option);
    expect(bars.data).toEqual([
      { value: 2.5, itemStyle: { color: '#52c41a' } },
      { value: 0, itemStyle: { color: '#faad14' } },
    ]);
    expect(bars.markLine?.data).toEqual([{ xAxis: 1 }]);
    expect(tooltip(option, 0)).toBe('展会 2026<br/>Return: 2.50×<br/>¥15,000.00 / ¥6,000.00');
  });

  it('shows mean days per stage', () => {
    const cycle: SalesCycle = {
      period: '2026-11',
      pipeline_id: 'p',
      won_deals: 5,
      avg_days: '25.4',
      median_days: '20.0',
      min_days: '10.0',
      max_days: '46.6',
      stages: [
        { stage_id: 'a', name_zh: '初步接洽', name_en: 'Initial contact', position: 0, deals: 5, avg_days: '18.8' },
        { stage_id: 'b', name_zh: '需求确认', name_en: 'Needs confirmed', position: 1, deals: 0, avg_days: null },
      ],
    };
    const [bars] = seriesOf(cycleStagesOption(cycle, 'zh-CN', { days: '天', deals: '商机数' }));
    expect(bars.data).toEqual([18.8, 0]);
  });
});

describe('filters and queries', () => {
  it('reads the page filters from the URL with this month in CNY by default', () => {
    const f = filtersFrom(new URLSearchParams('period=2026-Q4&team=t1&currency=USD&source=展会'));
    expect(f).toMatchObject({ period: '2026-Q4', teamId: 't1', ownerId: null, currency: 'USD', source: '展会' });
    expect(filtersFrom(new URLSearchParams('')).currency).toBe('CNY');
    expect(funnelQuery(f)).toEqual({ period: '2026-Q4', team_id: 't1', source: '展会' });
  });

  it('starts the forecast at the period’s first month', () => {
    expect(firstMonth('2026-12-05')).toBe('2026-12');
    expect(firstMonth('2026-11')).toBe('2026-11');
    expect(firstMonth('2026-Q4')).toBe('2026-10');
    expect(firstMonth('2026')).toBe('2026-01');
    expect(firstMonth('2026-W49')).toBe('');
    expect([forecastMonths('2026'), forecastMonths('2026-Q2'), forecastMonths('2026-11')]).toEqual([12, 3, 6]);
  });
});
