import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';

import { dayOf, kindOf, periodLabel } from './period';

describe('period labels', () => {
  it('formats each kind the way the API parses it', () => {
    const day = dayjs('2026-12-01');
    expect(periodLabel('day', day)).toBe('2026-12-01');
    expect(periodLabel('week', day)).toBe('2026-W49');
    expect(periodLabel('month', day)).toBe('2026-12');
    expect(periodLabel('quarter', day)).toBe('2026-Q4');
    expect(periodLabel('year', day)).toBe('2026');
  });

  it('uses the ISO week-year across new year', () => {
    expect(periodLabel('week', dayjs('2021-01-03'))).toBe('2020-W53');
  });

  it('reads labels back to their first day', () => {
    expect(kindOf('2026-Q4')).toBe('quarter');
    expect(dayOf('2026-Q4').format('YYYY-MM-DD')).toBe('2026-10-01');
    expect(dayOf('2026-W49').format('YYYY-MM-DD')).toBe('2026-11-30');
    expect(dayOf('2026-12').format('YYYY-MM-DD')).toBe('2026-12-01');
    expect(dayOf('2026').format('YYYY-MM-DD')).toBe('2026-01-01');
  });
});
