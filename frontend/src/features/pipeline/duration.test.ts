import { describe, expect, it } from 'vitest';

import { durationParts, formatDuration } from './duration';

const unit = (name: string, count: number) => (name === 'lessThanMinute' ? '<1m' : `${count}${name[0]}`);

describe('time in stage', () => {
  it('splits seconds into days, hours and minutes', () => {
    expect(durationParts(3 * 86400 + 4 * 3600 + 5 * 60 + 59)).toEqual({ days: 3, hours: 4, minutes: 5 });
    expect(durationParts(-5)).toEqual({ days: 0, hours: 0, minutes: 0 });
  });

  it('shows the two largest units that matter', () => {
    expect(formatDuration(3 * 86400 + 4 * 3600 + 300, unit)).toBe('3d 4h');
    expect(formatDuration(2 * 86400 + 300, unit)).toBe('2d');
    expect(formatDuration(5 * 3600 + 12 * 60, unit)).toBe('5h 12m');
    expect(formatDuration(8 * 60, unit)).toBe('8m');
    expect(formatDuration(20, unit)).toBe('<1m');
  });
});
