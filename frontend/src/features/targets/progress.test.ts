import { describe, expect, it } from 'vitest';

import type { TargetProgress } from './api';
import { attainmentOption, elapsedPercent, formatValue, gaugeMax, gaugeOption } from './progress';

function item(overrides: Partial<TargetProgress> = {}): TargetProgress {
  return {
    target_id: 't1',
    subject_kind: 'user',
    subject_id: 'u1',
    subject_name: '李雷',
    metric: 'won_amount',
    currency: 'CNY',
    target_value: '20000.00',
    actual: '16500.50',
    count: 3,
    percent: '82.50',
    remaining: '3499.50',
    days_total: 31,
    days_left: 17,
    expected_to_date: '9032.26',
    pace_needed_per_day: '205.85',
    on_track: true,
    ...overrides,
  };
}

describe('target progress', () => {
  it('shows money with its currency and counts as whole numbers', () => {
    expect(formatValue('16500.5', 'CNY')).toBe('¥16,500.50');
    expect(formatValue('1234', null)).toBe('1,234');
    expect(formatValue('9.03', null)).toBe('9.03');
    expect(formatValue(null, 'CNY')).toBe('—');
  });

  it('measures the pace as the share of the period behind us', () => {
    expect(elapsedPercent(item())).toBe(45.2); // 14 of 31 days
    expect(elapsedPercent(item({ days_left: 0 }))).toBe(100);
    expect(elapsedPercent(item({ days_left: 31 }))).toBe(0);
  });

  it('widens the gauge past 100 % only when the target is beaten', () => {
    expect(gaugeMax(82.5)).toBe(100);
    expect(gaugeMax(125)).toBe(130);
    expect(gaugeMax(900)).toBe(300);
    const option = gaugeOption(item({ percent: '125.00' }), { pace: '时间进度' }) as { series: { max: number; data: { value: number; name?: string }[] }[] };
    expect(option.series[0].max).toBe(130);
    expect(option.series[0].data[0].value).toBe(125);
    expect(option.series[1].data[0]).toEqual({ value: 45.2, name: '时间进度' });
  });

  it('compares attainment with the pace line, first subject on top', () => {
    const option = attainmentOption([item(), item({ subject_name: '韩梅梅', percent: '30.00', on_track: false })], {
      percent: '完成率',
      pace: '时间进度',
    }) as { yAxis: { data: string[] }; series: { data: { value: number }[]; markLine: { data: { xAxis: number }[] } }[] };
    expect(option.yAxis.data).toEqual(['韩梅梅', '李雷']);
    expect(option.series[0].data.map((d) => d.value)).toEqual([30, 82.5]);
    expect(option.series[0].markLine.data).toEqual([{ xAxis: 45.2 }]);
  });
});
