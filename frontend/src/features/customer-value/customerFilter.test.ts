import { describe, expect, it } from 'vitest';

import { activeFilterCount, exportUrl, listParams } from '../customers/filters';

describe('the value-tier filter of the customer list', () => {
  it('is sent to the list and the export as rfm_tier, and counts as an active filter', () => {
    expect(listParams({ rfm_tier: 'vip', status: 'active' })).toEqual({ status: 'active', rfm_tier: 'vip' });
    expect(exportUrl({ rfm_tier: 'key' }, 'csv', 'en')).toContain('rfm_tier=key');
    expect(listParams({})).toEqual({});
    expect(activeFilterCount({ rfm_tier: 'vip' })).toBe(1);
  });
});
