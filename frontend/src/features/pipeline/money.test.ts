import { describe, expect, it } from 'vitest';

import { formatMoney, lineTotal, sumAmounts, toScaled, weighted } from './money';

describe('decimal strings', () => {
  it('scale and round half up without floats', () => {
    expect(toScaled('12.345', 2)).toBe(1235n);
    expect(toScaled('12.344', 2)).toBe(1234n);
    expect(toScaled('-0.005', 2)).toBe(-1n);
    expect(toScaled('1,234.5', 2)).toBe(123450n);
    expect(toScaled('abc', 2)).toBeNull();
    expect(toScaled('', 2)).toBeNull();
    // beyond a double's 15–16 significant digits
    expect(toScaled('9999999999999999.99', 2)).toBe(999999999999999999n);
  });

  it('add up to the cent', () => {
    expect(sumAmounts(['0.10', '0.20', null, 'x'])).toBe('0.30');
    expect(sumAmounts(['9999999999999999.99', '0.01'])).toBe('10000000000000000.00');
  });

  it('weigh an amount by a probability, half up', () => {
    expect(weighted('1518115.13', 50)).toBe('759057.57');
    expect(weighted('100.00', 0)).toBe('0.00');
    expect(weighted('0.05', 50)).toBe('0.03');
  });
});

describe('line totals', () => {
  it('are quantity × unit price × (1 − discount %), half up to the cent', () => {
    expect(lineTotal('3', '1200.00', '0')).toBe('3600.00');
    expect(lineTotal('2', '2400.00', '10')).toBe('4320.00');
    expect(lineTotal('1.5', '0.99', '0')).toBe('1.49'); // 1.485 → 1.49
    expect(lineTotal('0.3333', '3.00', '0')).toBe('1.00'); // 0.9999
    expect(lineTotal('7', '268.00', '12.5')).toBe('1641.50');
    expect(lineTotal('1', '100.00', '100')).toBe('0.00');
  });

  it('wait for a quantity and a price', () => {
    expect(lineTotal(null, '1.00', '0')).toBeNull();
    expect(lineTotal('1', '', '0')).toBeNull();
    expect(lineTotal('1', '5', null)).toBe('5.00');
  });
});

describe('formatting', () => {
  it('groups the digits of the string and shows the currency', () => {
    expect(formatMoney('1234567.5', 'CNY', 'zh-CN')).toBe('¥1,234,567.50');
    expect(formatMoney('9999999999999999.99', 'CNY', 'zh-CN')).toBe('¥9,999,999,999,999,999.99');
    expect(formatMoney('-12', 'USD', 'en')).toBe('-$12.00');
    expect(formatMoney(null, 'CNY')).toBe('—');
  });

  it('tells currencies apart in each language', () => {
    expect(formatMoney('1', 'USD', 'zh-CN')).toContain('US$');
    expect(formatMoney('1', 'CNY', 'en')).toContain('CN¥');
  });

});
