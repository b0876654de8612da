/** The lead form's values and their mapping to create/update bodies. */
import type { CustomField } from '../../api/types';
import { customValuesFromForm, type CustomValues } from '../custom-fields/values';
import type { Lead, LeadCreate, LeadStatus, LeadUpdate } from './types';

export interface LeadFormValues {
  name: string;
  company?: string;
  title?: string;
  phones: string[];
  email?: string;
  province?: string;
  city?: string;
  source?: string;
  campaign_id?: string | null;
  status?: LeadStatus;
  score?: number | null;
  notes?: string;
  owner_id?: string | null;
  custom_fields?: CustomValues;
}

const TEXT_FIELDS = ['company', 'title', 'email', 'province', 'city', 'notes'] as const;

function clean(value: string | undefined | null): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function cleanPhones(phones: readonly string[] | undefined): string[] {
  return (phones ?? []).map((p) => p.trim()).filter(Boolean);
}

/** A create body: the non-empty fields; no owner lets the assignment rules choose. */
export function createBody(values: LeadFormValues, defs: readonly CustomField[]): LeadCreate {
  const body: LeadCreate = { name: values.name.trim(), phones: cleanPhones(values.phones), score: values.score ?? 0 };
  for (const key of TEXT_FIELDS) {
    const value = clean(values[key]);
    if (value !== null) body[key] = value;
  }
  const source = clean(values.source);
  if (source) body.source = source;
  if (values.campaign_id) body.campaign_id = values.campaign_id;
  if (values.owner_id) body.owner_id = values.owner_id;
  const custom = customValuesFromForm(defs, values.custom_fields, { keepNulls: false });
  if (Object.keys(custom).length > 0) body.custom_fields = custom;
  return body;
}

/** An update body with only what differs from `lead` (empty: nothing to save). */
export function updateBody(lead: Lead, values: LeadFormValues, defs: readonly CustomField[]): LeadUpdate {
  const body: LeadUpdate = {};
  const name = values.name.trim();
  if (name !== lead.name) body.name = name;
  const phones = cleanPhones(values.phones);
  if (phones.join('\n') !== lead.phones.join('\n')) body.phones = phones;
  for (const key of TEXT_FIELDS) {
    const value = clean(values[key]);
    if (value !== (lead[key] ?? null)) body[key] = value;
  }
  if (values.status && values.status !== lead.status) body.status = values.status;
  if (values.score !== undefined && values.score !== null && values.score !== lead.score) body.score = values.score;
  if (values.owner_id && values.owner_id !== lead.owner_id) body.owner_id = values.owner_id;
  const custom = customValuesFromForm(defs, values.custom_fields, { keepNulls: true });
  const current = lead.custom_fields as Record<string, unknown>;
  const changed = Object.entries(custom).some(
    ([key, value]) => JSON.stringify(value ?? null) !== JSON.stringify(current[key] ?? null),
  );
  if (changed) body.custom_fields = custom;
  return body;
}
