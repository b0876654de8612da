/** Named types of the leads module, taken from the generated contract. */
import type { components, operations } from '../../api/types';

type Schemas = components['schemas'];
type JsonBodyOf<O extends keyof operations> = operations[O] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type Lead = Schemas['Lead'];
export type LeadStatus = Schemas['LeadStatus'];
export type LeadSort = Schemas['LeadSort'];
export type LeadCreate = JsonBodyOf<'leads:create_lead'>;
export type LeadUpdate = JsonBodyOf<'leads:update_lead'>;
export type LeadConvert = JsonBodyOf<'leads:convert_lead'>;
export type ConvertResult = Schemas['ConvertResult'];
export type LeadActivityCreate = JsonBodyOf<'leads:log_lead_activity'>;
export type LeadListQuery = NonNullable<operations['leads:list_leads']['parameters']['query']>;
