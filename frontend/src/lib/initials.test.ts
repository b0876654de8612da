import { describe, expect, it } from 'vitest';

import { initials } from './initials';

describe('avatar initials', () => {
  it('uses the last two characters of a Chinese name, even beside a Latin one', () => {
    expect(initials('欧阳娜娜')).toBe('娜娜');
    expect(initials('周明 Zhou Ming')).toBe('周明');
    expect(initials('Emma Wilson')).toBe('EW');
    expect(initials('  ')).toBe('?');
  });
});
