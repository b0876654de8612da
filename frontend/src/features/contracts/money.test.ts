import { describe, expect, it } from 'vitest';

import {
  compareAmounts,
  formatMoney,
  fromCents,
  normalizeAmount,
  percentOf,
  splitEvenly,
  subtractAmounts,
  sumAmounts,
  toCents,
} from './money';

describe('money in integer cents', () => {
  it('parses decimal strings without floating point', () => {
    expect(toCents('1234.5')).toBe(123450n);
    expect(toCents('0.1')).toBe(10n);
    expect(toCents('-3')).toBe(-300n);
    expect(toCents('12,000.00')).toBe(1200000n);
    expect(toCents('.5')).toBe(50n);
    expect(toCents('9999999999999999.99')).toBe(999999999999999999n);
    expect(toCents('abc')).toBeNull();
    expect(toCents('')).toBeNull();
    expect(toCents(null)).toBeNull();
  });

  it('rounds a third decimal half up, as the server does', () => {
    expect(toCents('0.005')).toBe(1n);
    expect(toCents('0.004')).toBe(0n);
    expect(toCents('-0.005')).toBe(-1n);
  });

  it('adds 0.1 and 0.2 to exactly 0.30', () => {
    expect(sumAmounts(['0.1', '0.2'])).toBe('0.30');
    expect(sumAmounts(['33333.33', '33333.33', '33333.34'])).toBe('100000.00');
    expect(sumAmounts(['1', null, '', 'x'])).toBe('1.00');
  });

  it('subtracts and compares', () => {
    expect(subtractAmounts('100000.00', '30000.10')).toBe('69999.90');
    expect(subtractAmounts('1', '2.5')).toBe('-1.50');
    expect(compareAmounts('10.00', '10')).toBe(0);
    expect(compareAmounts('9.99', '10')).toBe(-1);
    expect(compareAmounts('10.01', '10')).toBe(1);
  });

  it('normalises to two decimals', () => {
    expect(normalizeAmount('1200')).toBe('1200.00');
    expect(normalizeAmount(' 7.5 ')).toBe('7.50');
    expect(normalizeAmount('nope')).toBeNull();
    expect(fromCents(-5n)).toBe('-0.05');
  });

  it('formats with the currency and thousands separators', () => {
    expect(formatMoney('12000.5', 'CNY')).toBe('¥12,000.50');
    expect(formatMoney('1234567.891', 'USD')).toBe('$1,234,567.89');
    expect(formatMoney('-42', 'EUR')).toBe('-€42.00');
    expect(formatMoney('1000', 'SGD')).toBe('SGD 1,000.00');
    expect(formatMoney(null, 'CNY')).toBe('—');
  });

  it('splits evenly with the odd cents on the last part', () => {
    expect(splitEvenly('100000.00', 3)).toEqual(['33333.33', '33333.33', '33333.34']);
    expect(splitEvenly('0.05', 2)).toEqual(['0.02', '0.03']);
    expect(sumAmounts(splitEvenly('98765.43', 7))).toBe('98765.43');
    expect(splitEvenly('10', 0)).toEqual([]);
  });

  it('works out shares for bars', () => {
    expect(percentOf('30000', '100000')).toBe(30);
    expect(percentOf('1', '3')).toBe(33.3);
    expect(percentOf('5', '0')).toBe(0);
    expect(percentOf('200', '100')).toBe(100);
  });
});
