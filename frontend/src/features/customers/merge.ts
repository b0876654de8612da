import type { Customer } from '../../api/types';

/** Fields the merge can take from the duplicate (the API's list); the name stays the survivor's. */
export const MERGEABLE_FIELDS = [
  'kind',
  'short_name',
  'industry',
  'source',
  'level',
  'status',
  'province',
  'city',
  'district',
  'address',
  'email',
  'website',
  'credit_code',
] as const;

export type MergeableField = (typeof MERGEABLE_FIELDS)[number];
export type Side = 'survivor' | 'duplicate';

const empty = (value: unknown) => value === null || value === undefined || value === '';

/**
 * The side whose value wins by default: the survivor's, unless it has none and the duplicate
 * has one (the server fills such gaps anyway).
 */
export function defaultChoices(survivor: Customer, duplicate: Customer): Record<MergeableField, Side> {
  return Object.fromEntries(
    MERGEABLE_FIELDS.map((f) => [f, empty(survivor[f]) && !empty(duplicate[f]) ? 'duplicate' : 'survivor']),
  ) as Record<MergeableField, Side>;
}

/** `take_from_duplicate`: the fields where the duplicate wins and the values differ. */
export function takeFromDuplicate(
  choices: Record<MergeableField, Side>,
  survivor: Customer,
  duplicate: Customer,
): MergeableField[] {
  return MERGEABLE_FIELDS.filter((f) => choices[f] === 'duplicate' && survivor[f] !== duplicate[f]);
}
