/** The customer form's values and their mapping to create/update bodies. */
import type { Customer, CustomerKind, CustomerStatus, CustomerUpdate, CustomField, DuplicateCheck } from '../../api/types';
import { customValuesFromForm, type CustomValues } from '../custom-fields/values';

export interface CustomerFormValues {
  kind: CustomerKind;
  name: string;
  short_name?: string;
  phones: string[];
  email?: string;
  credit_code?: string;
  status: CustomerStatus;
  level?: string;
  source?: string;
  industry?: string;
  province?: string;
  city?: string;
  district?: string;
  address?: string;
  website?: string;
  tag_ids: string[];
  owner_id?: string;
  custom_fields?: CustomValues;
}

const TEXT_FIELDS = [
  'short_name',
  'email',
  'credit_code',
  'level',
  'source',
  'industry',
  'province',
  'city',
  'district',
  'address',
  'website',
] as const;

function clean(value: string | undefined | null): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function samePhones(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

/**
 * The body for the fields that differ from `original` (all non-empty fields when creating).
 * An edit sends only what changed, so the duplicate check runs only when identity changed.
 */
export function changedFields(
  original: Customer | undefined,
  values: CustomerFormValues,
  defs: readonly CustomField[],
): CustomerUpdate & { owner_id?: string } {
  // `force` is resent as true only after the user saw the duplicate warning.
  const body: CustomerUpdate & { owner_id?: string } = { force: false };
  const name = values.name.trim();
  if (!original || original.name !== name) body.name = name;
  if (!original || original.kind !== values.kind) body.kind = values.kind;
  if (!original || original.status !== values.status) body.status = values.status;
  const phones = (values.phones ?? []).map((p) => p.trim()).filter(Boolean);
  if (original ? !samePhones(original.phones, phones) : phones.length > 0) body.phones = phones;
  for (const key of TEXT_FIELDS) {
    let next = clean(values[key]);
    if (key === 'credit_code' && next) next = next.toUpperCase();
    if (original ? (original[key] ?? null) !== next : next !== null) body[key] = next;
  }
  const tags = values.tag_ids ?? [];
  if (original ? tags.join() !== original.tag_ids.join() : tags.length > 0) body.tag_ids = tags;
  if (original) {
    const custom = customValuesFromForm(defs, values.custom_fields, { keepNulls: true });
    const current = original.custom_fields;
    const changed = Object.entries(custom).some(
      ([key, value]) => JSON.stringify(value ?? null) !== JSON.stringify(current[key] ?? null),
    );
    if (changed) body.custom_fields = custom;
  } else if (values.owner_id) {
    body.owner_id = values.owner_id;
  }
  return body;
}

/** What the live duplicate check should look for; null while nothing identifying is typed. */
export function buildDuplicateCheck(
  values: { name?: string; phones?: string[]; email?: string; credit_code?: string },
  original?: Customer,
): DuplicateCheck | null {
  const name = clean(values.name);
  const phones = (values.phones ?? []).map((p) => p.trim()).filter((p) => p.replace(/\D/g, '').length >= 5);
  const email = clean(values.email);
  const credit = clean(values.credit_code)?.toUpperCase() ?? null;
  const check: DuplicateCheck = {};
  if (name && name.length >= 2 && name !== original?.name) check.name = name;
  if (phones.length > 0 && !(original && samePhones(original.phones, phones))) check.phones = phones;
  if (email && /.+@.+\..+/.test(email) && email !== original?.email) check.email = email;
  if (credit && credit.length === 18 && credit !== original?.credit_code) check.credit_code = credit;
  if (Object.keys(check).length === 0) return null;
  if (original) check.exclude_id = original.id;
  return check;
}
