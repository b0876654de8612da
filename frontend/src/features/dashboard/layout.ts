/**
 * Which widgets a user's home dashboard shows, from the session's permissions: the analytics
 * data scope picks the level (own → my work, team → the team, all → the business and the
 * team), and each widget also needs a scope on the module its data comes from.
 */
import type { DataScope, Me } from '../../api/types';

export type WidgetKey =
  | 'myTargets'
  | 'myDay'
  | 'myPipeline'
  | 'myForecast'
  | 'teamTargets'
  | 'funnel'
  | 'forecast'
  | 'leaderboard'
  | 'pipeline'
  | 'aging'
  | 'revenue'
  | 'rfm'
  | 'pareto';

export type SectionKey = 'personal' | 'team' | 'business';

export interface Section {
  key: SectionKey;
  widgets: WidgetKey[];
}

/** The module whose scope a widget's data needs (besides analytics for the analytics ones). */
const NEEDS: Record<WidgetKey, string[]> = {
  myTargets: ['analytics'],
  myDay: ['customers'],
  myPipeline: ['opportunities'],
  myForecast: ['analytics', 'opportunities'],
  teamTargets: ['analytics'],
  funnel: ['analytics', 'opportunities'],
  forecast: ['analytics', 'opportunities'],
  leaderboard: ['analytics'],
  pipeline: ['opportunities'],
  aging: ['receivables'],
  revenue: ['analytics'],
  rfm: ['analytics', 'customers'],
  pareto: ['analytics'],
};

const SECTIONS: Record<SectionKey, WidgetKey[]> = {
  personal: ['myTargets', 'myDay', 'myPipeline', 'myForecast'],
  team: ['teamTargets', 'leaderboard', 'funnel', 'forecast', 'pipeline', 'aging'],
  business: ['revenue', 'rfm', 'pareto'],
};

const ADMIN_ROLES = new Set(['owner', 'admin']);

export function scopeOf(me: Me, module: string): DataScope {
  if (ADMIN_ROLES.has(me.user.role)) return 'all';
  return me.permissions[module]?.scope ?? 'none';
}

/** The sections of the dashboard, each with the widgets this user may see, empty ones left out. */
export function dashboardSections(me: Me): Section[] {
  const level = scopeOf(me, 'analytics');
  const keys: SectionKey[] = level === 'all' ? ['business', 'team'] : level === 'team' ? ['team'] : ['personal'];
  return keys
    .map((key) => ({
      key,
      widgets: SECTIONS[key].filter((widget) => NEEDS[widget].every((module) => scopeOf(me, module) !== 'none')),
    }))
    .filter((section) => section.widgets.length > 0);
}

/** Whether the filter bar offers team and owner (not for someone who sees only their own). */
export function filtersByWho(me: Me): boolean {
  const level = scopeOf(me, 'analytics');
  return level === 'team' || level === 'all';
}

/** The analytics pages the widgets link to for the full report. */
export const MORE = {
  targets: '/analytics/targets',
  sales: '/analytics/sales',
  team: '/analytics/team',
  value: '/analytics/customer-value',
} as const;
