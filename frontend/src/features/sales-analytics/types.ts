/** Pipeline-analytics types, taken from the generated contract. */
import type { components, operations } from '../../api/types';

type Schemas = components['schemas'];

export type Funnel = Schemas['Funnel'];
export type FunnelStage = Schemas['FunnelStage'];
export type Forecast = Schemas['Forecast'];
export type ForecastMonth = Schemas['ForecastMonth'];
export type Coverage = Schemas['Coverage'];
export type StaleDeal = Schemas['StaleDeal'];
export type LostReasons = Schemas['LostReasons'];
export type LostReasonRow = Schemas['LostReasonRow'];
export type CampaignRoi = Schemas['CampaignRoi'];
export type CampaignRoiRow = Schemas['CampaignRoiRow'];
export type SalesCycle = Schemas['SalesCycle'];
export type CurrencyAmount = Schemas['CurrencyAmount'];

export type FunnelQuery = NonNullable<operations['analytics:sales_funnel']['parameters']['query']>;
export type ForecastQuery = NonNullable<operations['analytics:sales_forecast']['parameters']['query']>;

/** What the page filters by: the shared analytics filters plus pipeline, currency, source. */
export interface SalesFilters {
  period: string;
  teamId?: string | null;
  ownerId?: string | null;
  pipelineId?: string | null;
  currency: string;
  source?: string | null;
  campaignId?: string | null;
}
