import { describe, expect, it } from 'vitest';

import { activeNav, navPages } from '../../app/nav';

describe('the pipeline in the menu', () => {
  it('routes the board, the deal page, the settings and the catalogue', () => {
    const paths = navPages().map((route) => route.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/pipeline', '/opportunities/:opportunityId', '/settings/pipelines', '/products']),
    );
  });

  it('keeps 商机 selected on a deal page', () => {
    expect(activeNav('/pipeline')).toEqual({ selected: 'pipeline', open: [] });
    expect(activeNav('/opportunities/0190-abc')).toEqual({ selected: 'pipeline', open: [] });
    expect(activeNav('/settings/pipelines')).toEqual({ selected: 'pipeline-settings', open: ['settings'] });
  });
});
