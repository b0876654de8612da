import { currentPeriod } from '../../components/analytics';
import type { SalesFilters } from './types';

export const CURRENCIES = ['CNY', 'USD', 'EUR', 'GBP', 'HKD', 'JPY'];

/** The page's filters from the URL (this month in CNY when nothing is chosen). */
export function filtersFrom(params: URLSearchParams): SalesFilters {
  return {
    period: params.get('period') || currentPeriod('month'),
    teamId: params.get('team') || null,
    ownerId: params.get('owner') || null,
    pipelineId: params.get('pipeline') || null,
    currency: params.get('currency') || 'CNY',
    source: params.get('source') || null,
    campaignId: params.get('campaign') || null,
  };
}
