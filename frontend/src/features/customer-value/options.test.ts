import { describe, expect, it } from 'vitest';

import type { RfmCubeCell } from './api';
import { defaults } from './testData';
import { cohortOption, paretoOption, rfGrid, rfHeatmapOption, tierBarOption, tierColor, tierName } from './options';

const nulls = (n: number): null[] => Array.from({ length: n }, () => null);

const cube: RfmCubeCell[] = [
  { r: 5, f: 4, m: 4, customers: 1, amount: '20000.00' },
  { r: 5, f: 2, m: 5, customers: 1, amount: '60000.00' },
  { r: 5, f: 2, m: 2, customers: 3, amount: '6000.00' },
  { r: 1, f: 1, m: 1, customers: 7, amount: '0.00' },
];

describe('customer value charts', () => {
  it('folds the cube into an R × F grid, for all M or one M score', () => {
    const all = rfGrid(cube, 'all');
    expect(all[4][1]).toBe(4); // R5 F2: M5 (1) + M2 (3)
    expect(all[4][3]).toBe(1);
    expect(all[0][0]).toBe(7);
    expect(rfGrid(cube, 2)[4][1]).toBe(3);
    expect(rfGrid(cube, 5)[4][1]).toBe(1);
    expect(rfGrid(cube, 3).flat().every((n) => n === 0)).toBe(true);
  });

  it('draws the heatmap with R up the side and the largest cell as the top of the scale', () => {
    const option = rfHeatmapOption(cube, 'all', { recency: 'R', frequency: 'F', customers: '客户数' }) as {
      series: { data: number[][] }[];
      visualMap: { max: number };
    };
    expect(option.series[0].data).toContainEqual([1, 4, 4]);
    expect(option.series[0].data).toHaveLength(25);
    expect(option.visualMap.max).toBe(7);
  });

  it('names and colours tiers the same everywhere, best first', () => {
    expect(tierName('vip', defaults.tiers, 'en')).toBe('VIP');
    expect(tierName('growth', defaults.tiers, 'zh-CN')).toBe('成长客户');
    expect(tierName('champions', defaults.tiers, 'en')).toBe('champions');
    expect(tierColor('vip', defaults.tiers)).not.toBe(tierColor('key', defaults.tiers));
    const bars = tierBarOption(
      defaults.tiers.map((t, n) => ({ ...t, customers: n, amount: '0.00' })),
      'en',
      { customers: 'Customers' },
    ) as { yAxis: { data: string[] } };
    expect(bars.yAxis.data).toEqual(['Dormant', 'Regular', 'Growing', 'Key', 'VIP']);
  });

  it('draws the Pareto curve from the API points and marks the head', () => {
    const option = paretoOption(
      {
        curve: [
          { customer_share: '0.00', revenue_share: '0.00' },
          { customer_share: '20.00', revenue_share: '77.92' },
          { customer_share: '100.00', revenue_share: '100.00' },
        ],
        top_percent: 20,
        top_share: '77.92',
      },
      { customers: 'Buyers', revenue: 'Revenue', equal: 'Equal' },
    ) as { series: { data: number[][]; markLine?: { label: { formatter: string } } }[] };
    expect(option.series[0].data).toEqual([
      [0, 0],
      [20, 77.92],
      [100, 100],
    ]);
    expect(option.series[0].markLine?.label.formatter).toBe('20% → 77.92%');
  });

  it('leaves months that have not begun blank in the cohort heatmap', () => {
    const option = cohortOption(
      [
        { month: '2026-01', customers: 2, retention: ['50.00', '50.00', '0.00', ...nulls(9)] },
        { month: '2026-02', customers: 0, retention: nulls(12) },
      ],
      { month: 'Month', retention: 'Retention' },
    ) as { series: { data: number[][] }[]; yAxis: { data: string[] } };
    expect(option.series[0].data).toEqual([
      [0, 0, 50],
      [1, 0, 50],
      [2, 0, 0],
    ]);
    expect(option.yAxis.data).toEqual(['2026-01', '2026-02']);
  });
});
