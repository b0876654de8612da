import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';

import { activeFilterCount, exportUrl, filterParams, listParams } from './filters';

describe('customer filters → query parameters', () => {
  it('maps every filter, trims text and drops empty values', () => {
    expect(
      listParams({
        q: '  星辰 ',
        owner_id: 'u-1',
        tag: 't-1',
        level: 'A',
        status: 'active',
        province: '浙江',
        city: ' ',
        sort: '-last_followed_at',
      }),
    ).toEqual({
      q: '星辰',
      owner_id: 'u-1',
      tag: 't-1',
      level: 'A',
      status: 'active',
      province: '浙江',
      sort: '-last_followed_at',
    });
  });

  it('turns custom field filters into cf.<key> parameters and ignores bad keys and blanks', () => {
    expect(filterParams({ cf: { industry: '制造', vip: 'true', budget: '', 'bad key': 'x', Upper: 'y' } })).toEqual({
      'cf.industry': '制造',
      'cf.vip': 'true',
    });
  });

  it('turns a day range into [start of the first day, start of the day after the last)', () => {
    const params = filterParams({ followed: ['2026-03-01', '2026-03-31'], created: [null, '2026-01-15'] });
    expect(params.followed_after).toBe(dayjs('2026-03-01').startOf('day').toISOString());
    expect(params.followed_before).toBe(dayjs('2026-04-01').startOf('day').toISOString());
    expect(params.created_after).toBeUndefined();
    expect(params.created_before).toBe(dayjs('2026-01-16').startOf('day').toISOString());
  });

  it('builds the export link from the same filters, without the sort', () => {
    const url = new URL(
      exportUrl({ status: 'lost', cf: { industry: '制造' }, sort: 'name' }, 'xlsx', 'en'),
      'http://x',
    );
    expect(url.pathname).toBe('/api/v1/exports/customers');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      status: 'lost',
      'cf.industry': '制造',
      format: 'xlsx',
      lang: 'en',
    });
  });

  it('counts the active filters beyond the search box', () => {
    expect(activeFilterCount({ q: 'x', sort: 'name' })).toBe(0);
    expect(activeFilterCount({ status: 'active', followed: ['2026-01-01', null], cf: { a: '1', b: ' ' } })).toBe(3);
  });
});
