import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { EChart } from './EChart';

describe('EChart', () => {
  it('draws the series into an SVG with its accessible name', () => {
    const { container, getByRole } = render(
      <EChart
        ariaLabel="won by month"
        option={{
          xAxis: { type: 'category', data: ['Oct', 'Nov'] },
          yAxis: { type: 'value' },
          series: [{ type: 'bar', data: [120, 340] }],
        }}
      />,
    );
    expect(getByRole('img', { name: 'won by month' })).toBeInTheDocument();
    expect(container.querySelector('svg')).not.toBeNull();
  });

  it('shows the empty state instead of a blank chart', () => {
    const { getByText, container } = render(
      <EChart ariaLabel="nothing" empty emptyText="No data yet" option={{}} />,
    );
    expect(getByText('No data yet')).toBeInTheDocument();
    expect(container.querySelector('[data-chart]')).toBeNull();
  });
});
