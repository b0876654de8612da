/**
 * The analytics filters of a page, kept in the URL (`?period=2026-Q1&team=…&owner=…`) so a
 * view can be bookmarked and shared; a missing or unusable period falls back to the current one.
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

import { currentPeriod, kindOf, type AnalyticsFilterValue, type PeriodKind } from '../../components/analytics';

const PERIOD = /^\d{4}(-(\d{2}(-\d{2})?|Q[1-4]|W\d{2}))?$/;

export function usePeriodFilters(
  kinds: readonly PeriodKind[],
): [AnalyticsFilterValue, (next: AnalyticsFilterValue) => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get('period');
  const period = raw && PERIOD.test(raw) && kinds.includes(kindOf(raw)) ? raw : currentPeriod(kinds.includes('month') ? 'month' : kinds[0]);
  const value = useMemo(
    () => ({ period, teamId: params.get('team'), ownerId: params.get('owner') }),
    [period, params],
  );
  const onChange = useCallback(
    (next: AnalyticsFilterValue) => {
      const out = new URLSearchParams(params);
      out.set('period', next.period);
      for (const [key, v] of [
        ['team', next.teamId],
        ['owner', next.ownerId],
      ] as const) {
        if (v) out.set(key, v);
        else out.delete(key);
      }
      setParams(out, { replace: true });
    },
    [params, setParams],
  );
  return [value, onChange];
}
