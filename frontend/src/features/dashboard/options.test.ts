import { describe, expect, it } from 'vitest';

import {
  agingOption,
  allZero,
  compact,
  forecastOption,
  funnelOption,
  leaderboardOption,
  pacePercent,
  paretoOption,
  pipelineOption,
  revenueOption,
  rfmTiersOption,
  targetGaugeOption,
  targetValue,
  teamTargetsOption,
} from './options';

/** The value at a path inside a (loosely typed) ECharts option. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], value);
}
/** Calls the function found at a path. */
function call(value: unknown, path: (string | number)[], ...args: unknown[]): unknown {
  return (at(value, ...path) as (...a: unknown[]) => unknown)(...args);
}
const tooltip = (option: unknown, params: unknown) => call(option, ['tooltip', 'formatter'], params);
const list = <T>(value: unknown) => value as T[];

const target = {
  metric: 'won_amount',
  currency: 'CNY',
  target_value: '300000.00',
  actual: '123456.78',
  percent: '41.15',
  days_total: 30,
  days_left: 12,
};

describe('targets', () => {
  it('puts a linear pace where the share of the period gone by is', () => {
    expect(pacePercent({ days_total: 30, days_left: 12 })).toBe(60);
    expect(pacePercent({ days_total: 31, days_left: 31 })).toBe(0);
    expect(pacePercent({ days_total: 92, days_left: 0 })).toBe(100);
    expect(pacePercent({ days_total: 0, days_left: 0 })).toBe(100);
  });

  it('draws attainment on a gauge that grows past 100 % and prints the exact percent', () => {
    const option = targetGaugeOption(target, { title: 'Won amount', detail: 'x' });
    expect(at(option, 'series', 0, 'type')).toBe('gauge');
    expect(at(option, 'series', 0, 'max')).toBe(100);
    expect(at(option, 'series', 0, 'data')).toEqual([{ value: 41.15, name: 'Won amount' }]);
    expect(call(option, ['series', 0, 'detail', 'formatter'])).toBe('41.15%');
    // behind a 60 % pace: warning colour
    expect(at(option, 'series', 0, 'progress', 'itemStyle', 'color')).toBe('#faad14');
    const over = targetGaugeOption({ ...target, percent: '137.50' }, { title: 't', detail: 'x' });
    expect(at(over, 'series', 0, 'max')).toBe(150);
    expect(at(over, 'series', 0, 'progress', 'itemStyle', 'color')).toBe('#52c41a');
  });

  it('writes money targets with the currency and counts as whole numbers', () => {
    expect(targetValue('123456.78', 'CNY')).toBe('¥123,456.78');
    expect(targetValue('40', null)).toBe('40');
    expect(targetValue('40.00', undefined)).toBe('40');
  });

  it('ranks team members by attainment with the pace as a dashed line', () => {
    const option = teamTargetsOption(
      [
        { ...target, subject_name: '李雷', percent: '41.15' },
        { ...target, subject_name: '韩梅梅', percent: '88.00', actual: '264000.00' },
      ],
      { percent: 'Attainment', pace: 'Pace' },
    );
    expect(at(option, 'yAxis', 'data')).toEqual(['韩梅梅', '李雷']);
    expect(list<{ value: unknown }>(at(option, 'series', 0, 'data')).map((d) => d.value)).toEqual([88, 41.15]);
    expect(list<{ itemStyle: { color: string } }>(at(option, 'series', 0, 'data')).map((d) => d.itemStyle.color)).toEqual(['#52c41a', '#faad14']);
    expect(at(option, 'series', 0, 'markLine', 'data')).toEqual([{ xAxis: 60 }]);
    expect(tooltip(option, [{ dataIndex: 0 }])).toBe('韩梅梅<br/>Attainment: 88.00%<br/>¥264,000.00 / ¥300,000.00');
  });
});

describe('pipeline', () => {
  const stages = [
    { stage_id: 's2', name_zh: '方案', name_en: 'Proposal', position: 2, entered: 6, advanced: 3, conversion_rate: '50.00' },
    { stage_id: 's1', name_zh: '初步接洽', name_en: 'Qualify', position: 1, entered: 10, advanced: 6, conversion_rate: '60.00' },
    { stage_id: 's3', name_zh: '谈判', name_en: '', position: 3, entered: 3, advanced: 0, conversion_rate: null },
  ];

  it('keeps the funnel in stage order with names in the UI language', () => {
    const zh = funnelOption(stages, 'zh-CN', { entered: '进入', conversion: '转化' });
    expect(at(zh, 'series', 0, 'sort')).toBe('none');
    expect(at(zh, 'series', 0, 'data')).toEqual([
      { name: '初步接洽', value: 10 },
      { name: '方案', value: 6 },
      { name: '谈判', value: 3 },
    ]);
    const en = funnelOption(stages, 'en', { entered: 'Entered', conversion: 'Conversion' });
    // a missing English name falls back to the Chinese one
    expect(list<{ name: unknown }>(at(en, 'series', 0, 'data')).map((d) => d.name)).toEqual(['Qualify', 'Proposal', '谈判']);
    expect(tooltip(en, { dataIndex: 0 })).toBe('Qualify<br/>Entered: 10<br/>Conversion: 60.00%');
    expect(tooltip(en, { dataIndex: 2 })).toBe('谈判<br/>Entered: 3<br/>Conversion: —');
  });

  const months = [
    { month: '2026-12', won: '50000.00', commit: '20000.00', best_case: '80000.00', weighted: '31000.50', target: '100000.00' },
    { month: '2027-01', won: '0.00', commit: '0.00', best_case: '12000.00', weighted: '3000.00', target: null },
  ];
  const forecastLabels = { won: 'Won', commit: 'Commit', bestCase: 'Best', weighted: 'Weighted', target: 'Target' };

  it('draws four forecast bars per month and the target as a line with gaps', () => {
    const option = forecastOption(months, 'CNY', 'en', forecastLabels);
    expect(at(option, 'xAxis', 'data')).toEqual(['2026-12', '2027-01']);
    expect(list<{ type: unknown; name: unknown }>(at(option, 'series')).map((s) => [s.type, s.name])).toEqual([
      ['bar', 'Won'],
      ['bar', 'Commit'],
      ['bar', 'Best'],
      ['bar', 'Weighted'],
      ['line', 'Target'],
    ]);
    expect(at(option, 'series', 3, 'data')).toEqual([31000.5, 3000]);
    expect(at(option, 'series', 4, 'data')).toEqual([100000, null]);
    expect(tooltip(option, [{ dataIndex: 1 }])).toBe(
      '2027-01<br/>Won: ¥0.00<br/>Commit: ¥0.00<br/>Best: ¥12,000.00<br/>Weighted: ¥3,000.00<br/>Target: —',
    );
  });

  it('leaves the target line out when no month has a target', () => {
    const option = forecastOption(months.map((m) => ({ ...m, target: null })), 'CNY', 'en', forecastLabels);
    expect(list<{ type: unknown }>(at(option, 'series')).map((s) => s.type)).toEqual(['bar', 'bar', 'bar', 'bar']);
  });

  it('shows open deals by stage with their count on the bar', () => {
    const option = pipelineOption(
      [
        { name_zh: '初步接洽', name_en: 'Qualify', count: 4, amount: '40000.00', weighted: '4000.00' },
        { name_zh: '谈判', name_en: 'Negotiate', count: 1, amount: '90000.00', weighted: '67500.00' },
      ],
      'CNY',
      'zh-CN',
      { amount: '金额', weighted: '加权', deals: '商机数' },
    );
    expect(at(option, 'xAxis', 'data')).toEqual(['初步接洽', '谈判']);
    expect(at(option, 'series', 0, 'data')).toEqual([40000, 90000]);
    expect(call(option, ['series', 0, 'label', 'formatter'], { dataIndex: 1 })).toBe('1');
    expect(tooltip(option, [{ dataIndex: 1 }])).toBe('谈判<br/>商机数: 1<br/>金额: ¥90,000.00<br/>加权: ¥67,500.00');
  });
});

describe('team', () => {
  it('ranks the leaderboard first on top and labels money exactly', () => {
    const option = leaderboardOption(
      [
        { rank: 2, user_name: 'Emma Wilson', team_name: 'International', value: '1200.50', count: 2 },
        { rank: 1, user_name: '李雷', team_name: '上海一组', value: '98000.00', count: 5 },
      ],
      'CNY',
      'en',
    );
    expect(at(option, 'yAxis', 'inverse')).toBe(true);
    expect(at(option, 'yAxis', 'data')).toEqual(['1. 李雷', '2. Emma Wilson']);
    expect(list<{ value: unknown }>(at(option, 'series', 0, 'data')).map((d) => d.value)).toEqual([98000, 1200.5]);
    expect(call(option, ['series', 0, 'label', 'formatter'], { dataIndex: 1 })).toBe('¥1,200.50');
    const counts = leaderboardOption([{ rank: 1, user_name: 'A', value: '17', count: 17 }], null, 'en');
    expect(call(counts, ['series', 0, 'label', 'formatter'], { dataIndex: 0 })).toBe('17');
    // long bars carry their figure inside, short ones beside them, zeros none
    const labels = list<{ label: { show: boolean; position: string } }>(at(option, 'series', 0, 'data')).map((d) => d.label);
    expect(labels).toEqual([
      { show: true, position: 'insideRight', color: '#fff' },
      { show: true, position: 'right', color: '#262626' },
    ]);
  });

  it('draws the five aging buckets in order with their colours', () => {
    const option = agingOption(
      { currency: 'CNY', current: '100.00', days_1_30: '50.00', days_31_60: '0.00', days_61_90: '0.00', days_over_90: '25.25' },
      'en',
      (key) => key.toUpperCase(),
    );
    expect(at(option, 'xAxis', 'data')).toEqual(['CURRENT', 'DAYS_1_30', 'DAYS_31_60', 'DAYS_61_90', 'DAYS_OVER_90']);
    expect(list<{ value: unknown }>(at(option, 'series', 0, 'data')).map((d) => d.value)).toEqual([100, 50, 0, 0, 25.25]);
    expect(at(option, 'series', 0, 'data', 4, 'itemStyle', 'color')).toBe('#a8071a');
    expect(tooltip(option, [{ dataIndex: 4 }])).toBe('DAYS_OVER_90<br/>¥25.25');
  });

  it('uses narrower axis labels and fewer ticks on a phone', () => {
    const totals = { currency: 'CNY', current: '1.00', days_1_30: '0.00', days_31_60: '0.00', days_61_90: '0.00', days_over_90: '0.00' };
    const wide = agingOption(totals, 'en', (key) => key);
    const narrow = agingOption(totals, 'en', (key) => key, true);
    expect(at(wide, 'xAxis', 'axisLabel', 'width')).toBe(64);
    expect(at(narrow, 'xAxis', 'axisLabel', 'width')).toBe(36);
    expect(at(narrow, 'yAxis', 'splitNumber')).toBe(3);
  });
});

describe('business', () => {
  it('draws orders and payments as two lines over the buckets', () => {
    const option = revenueOption(
      [
        { start: '2026-11-01', label: '2026-11', orders_amount: '1000.10', payments_amount: '900.00' },
        { start: '2026-12-01', label: '2026-12', orders_amount: '0.00', payments_amount: '50.00' },
      ],
      'CNY',
      'en',
      { orders: 'Orders', payments: 'Payments' },
    );
    expect(at(option, 'xAxis', 'data')).toEqual(['2026-11', '2026-12']);
    expect(list<{ type: unknown; name: unknown; data: unknown }>(at(option, 'series')).map((s) => [s.type, s.name, s.data])).toEqual([
      ['line', 'Orders', [1000.1, 0]],
      ['line', 'Payments', [900, 50]],
    ]);
    expect(tooltip(option, [{ dataIndex: 0 }])).toBe('2026-11<br/>Orders: ¥1,000.10<br/>Payments: ¥900.00');
  });

  it('splits customers by tier with names in the UI language', () => {
    const tiers = [
      { key: 'vip', name_zh: '重要价值', name_en: 'Champions', customers: 12, amount: '480000.00' },
      { key: 'normal', name_zh: '一般', name_en: 'Regular', customers: 88, amount: '96000.00' },
    ];
    const zh = rfmTiersOption(tiers, 'CNY', 'zh-CN', { customers: '客户数', amount: '金额' });
    expect(at(zh, 'series', 0, 'type')).toBe('pie');
    expect(at(zh, 'series', 0, 'data')).toEqual([
      { name: '重要价值', value: 12 },
      { name: '一般', value: 88 },
    ]);
    const withEmpty = rfmTiersOption([...tiers, { key: 'lost', name_zh: '流失', name_en: 'Lost', customers: 0, amount: '0.00' }], 'CNY', 'zh-CN', {
      customers: '客户数',
      amount: '金额',
    });
    expect(at(withEmpty, 'series', 0, 'data', 2)).toEqual({ name: '流失', value: 0, label: { show: false }, labelLine: { show: false } });
    const en = rfmTiersOption(tiers, 'CNY', 'en', { customers: 'Customers', amount: 'Amount' });
    expect(tooltip(en, { dataIndex: 0 })).toBe('Champions<br/>Customers: 12<br/>Amount: ¥480,000.00');
  });

  it('starts the Pareto curve at the origin and marks the top 20 % share', () => {
    const option = paretoOption(
      [
        { customer_share: '20.00', revenue_share: '78.40' },
        { customer_share: '100.00', revenue_share: '100.00' },
      ],
      '78.40',
      { customerShare: 'Customers', revenueShare: 'Revenue', even: 'Even' },
    );
    expect(at(option, 'series', 0, 'data')).toEqual([
      [0, 0],
      [20, 78.4],
      [100, 100],
    ]);
    expect(at(option, 'series', 0, 'markLine', 'label', 'formatter')).toBe('78.40%');
    expect(at(option, 'series', 0, 'markLine', 'data', 0)).toEqual([{ coord: [20, 0] }, { coord: [20, 78.4] }]);
    // one label for the two segments of the mark
    expect(at(option, 'series', 0, 'markLine', 'data', 1, 0, 'label')).toEqual({ show: false });
    expect(at(option, 'series', 1, 'data')).toEqual([
      [0, 0],
      [100, 100],
    ]);
  });
});

describe('helpers', () => {
  it('knows when there is nothing to draw', () => {
    expect(allZero(['0.00', '0', null, 0])).toBe(true);
    expect(allZero(['0.00', '0.01'])).toBe(false);
  });

  it('writes axis ticks compactly in either language', () => {
    expect(compact(1_250_000, 'en')).toBe('1.3M');
    expect(compact(1_250_000, 'zh-CN')).toBe('125万');
  });
});
