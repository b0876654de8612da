import { describe, expect, it } from 'vitest';

import type { Me } from '../../api/types';
import { me, makeUser } from '../../test/fixtures';
import { navPages } from '../../app/nav';
import { dashboardSections, filtersByWho, MORE } from './layout';

function person(role: Me['user']['role'], permissions: Me['permissions']): Me {
  return { ...me, user: makeUser({ role }), permissions };
}

const all = { scope: 'all', write: true } as const;
const team = { scope: 'team', write: true } as const;
const own = { scope: 'own', write: true } as const;
const none = { scope: 'none', write: false } as const;

describe('dashboard per role', () => {
  it('gives a rep their own targets, day, pipeline and forecast, without team filters', () => {
    const rep = person('sales', { analytics: own, customers: own, opportunities: own, receivables: own });
    expect(dashboardSections(rep)).toEqual([{ key: 'personal', widgets: ['myTargets', 'myDay', 'myPipeline', 'myForecast'] }]);
    expect(filtersByWho(rep)).toBe(false);
  });

  it("gives a manager the team's targets, leaderboard, funnel, forecast, pipeline and aging", () => {
    const manager = person('manager', { analytics: team, customers: team, opportunities: team, receivables: team });
    expect(dashboardSections(manager)).toEqual([
      { key: 'team', widgets: ['teamTargets', 'leaderboard', 'funnel', 'forecast', 'pipeline', 'aging'] },
    ]);
    expect(filtersByWho(manager)).toBe(true);
  });

  it('gives owners and admins the business first, then the team view over everyone', () => {
    // admins see everything whatever the permission rows say
    for (const role of ['owner', 'admin'] as const) {
      const sections = dashboardSections(person(role, {}));
      expect(sections.map((s) => s.key)).toEqual(['business', 'team']);
      expect(sections[0].widgets).toEqual(['revenue', 'rfm', 'pareto']);
    }
    const viewer = person('viewer', { analytics: all, customers: all, opportunities: all, receivables: all });
    expect(dashboardSections(viewer).map((s) => s.key)).toEqual(['business', 'team']);
  });

  it('leaves out widgets whose data the user may not read', () => {
    const service = person('service', { analytics: own, customers: team, opportunities: none, receivables: none });
    expect(dashboardSections(service)).toEqual([{ key: 'personal', widgets: ['myTargets', 'myDay'] }]);
    const manager = person('manager', { analytics: team, customers: team, opportunities: team, receivables: none });
    expect(dashboardSections(manager)[0].widgets).not.toContain('aging');
  });

  it('shows no analytics section without analytics or any module behind it', () => {
    expect(dashboardSections(person('viewer', { analytics: none }))).toEqual([]);
  });

  it('links each widget to an analytics page that exists', () => {
    const paths = navPages().map((route) => route.path);
    for (const path of Object.values(MORE)) expect(paths).toContain(path);
  });
});
