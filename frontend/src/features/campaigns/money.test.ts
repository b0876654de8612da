import { describe, expect, it } from 'vitest';

import { conversionRate, costPerLead, formatMoney } from './money';

describe('campaign money', () => {
  it('shows amounts with their currency, to the cent', () => {
    expect(formatMoney('72500.00', 'CNY')).toBe('¥72,500.00');
    expect(formatMoney('1234567.5', 'USD')).toBe('$1,234,567.50');
    expect(formatMoney('80', 'SGD')).toBe('SGD 80.00');
    expect(formatMoney(null, 'CNY')).toBeNull();
  });

  it('divides the actual cost by the leads, rounding half up to the cent', () => {
    expect(costPerLead('72500.00', 4)).toBe('18125.00');
    expect(costPerLead('100.00', 3)).toBe('33.33');
    expect(costPerLead('0.05', 2)).toBe('0.03');
    expect(costPerLead(null, 4)).toBeNull();
    expect(costPerLead('100.00', 0)).toBeNull();
  });

  it('gives the conversion rate as a whole percentage', () => {
    expect(conversionRate(1, 3)).toBe(33);
    expect(conversionRate(0, 0)).toBe(0);
  });
});
