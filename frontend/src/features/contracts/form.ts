/** Contract form values ⇄ API bodies. */
import dayjs, { type Dayjs } from 'dayjs';

import type { Contract, ContractCreate, ContractUpdate } from '../../api/types';
import { compareAmounts, normalizeAmount } from './money';

export const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'GBP'] as const;

/** Fixed once a contract leaves the draft state (the server refuses with contract_locked). */
export const MONEY_TERMS = ['customer_id', 'amount', 'currency', 'signed_on', 'starts_on'] as const;

export interface ContractFormValues {
  title: string;
  customer_id: string | null;
  owner_id?: string | null;
  amount: string | null;
  currency: string;
  signed_on: Dayjs | null;
  starts_on: Dayjs | null;
  ends_on: Dayjs | null;
  notes: string;
}

function day(value: Dayjs | null | undefined): string | null {
  return value ? value.format('YYYY-MM-DD') : null;
}

function parseDay(value: string | null): Dayjs | null {
  return value ? dayjs(value) : null;
}

export function valuesFromContract(contract: Contract): ContractFormValues {
  return {
    title: contract.title,
    customer_id: contract.customer_id,
    owner_id: contract.owner_id,
    amount: contract.amount,
    currency: contract.currency,
    signed_on: parseDay(contract.signed_on),
    starts_on: parseDay(contract.starts_on),
    ends_on: parseDay(contract.ends_on),
    notes: contract.notes ?? '',
  };
}

export function createBody(values: ContractFormValues, opportunityId: string | null): ContractCreate {
  const body: ContractCreate = {
    title: values.title.trim(),
    customer_id: values.customer_id,
    amount: normalizeAmount(values.amount),
    currency: values.currency,
    signed_on: day(values.signed_on),
    starts_on: day(values.starts_on),
    ends_on: day(values.ends_on),
    notes: values.notes.trim() || null,
  };
  if (opportunityId) body.opportunity_id = opportunityId;
  if (values.owner_id) body.owner_id = values.owner_id;
  return body;
}

/** Only what changed, so an approved contract's fixed terms are never sent back. */
export function updateBody(contract: Contract, values: ContractFormValues): ContractUpdate {
  const body: ContractUpdate = {};
  const title = values.title.trim();
  if (title !== contract.title) body.title = title;
  if (values.customer_id && values.customer_id !== contract.customer_id) body.customer_id = values.customer_id;
  if (values.owner_id && values.owner_id !== contract.owner_id) body.owner_id = values.owner_id;
  const amount = normalizeAmount(values.amount);
  if (amount !== null && compareAmounts(amount, contract.amount) !== 0) body.amount = amount;
  if (values.currency !== contract.currency) body.currency = values.currency;
  for (const key of ['signed_on', 'starts_on', 'ends_on'] as const) {
    const next = day(values[key]);
    if (next !== contract[key]) body[key] = next;
  }
  const notes = values.notes.trim() || null;
  if (notes !== (contract.notes ?? null)) body.notes = notes;
  return body;
}
