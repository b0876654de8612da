/**
 * The deal form between antd values and the API: line items as typed (strings, blanks) into
 * OpportunityLineInput, and an edit into only the fields that changed.
 */
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';

import type {
  CustomField,
  Opportunity,
  OpportunityCreate,
  OpportunityLineInput,
  OpportunityUpdate,
} from '../../api/types';
import { customValuesFromForm, customValuesToForm, type CustomValues } from '../custom-fields/values';
import { lineTotal, sumAmounts, toCents, toScaled } from './money';

export interface LineValues {
  product_id?: string | null;
  /** The picked product's currency (shown, not sent: the server checks it). */
  product_currency?: string | null;
  name?: string;
  quantity?: string | number | null;
  unit?: string;
  unit_price?: string | number | null;
  discount?: string | number | null;
}

export interface DealFormValues {
  customer_id?: string | null;
  contact_id?: string | null;
  name: string;
  pipeline_id?: string;
  stage_id?: string;
  amount?: string | number | null;
  currency: string;
  expected_close_date?: Dayjs | null;
  probability?: number | null;
  owner_id?: string | null;
  source?: string;
  campaign_id?: string | null;
  notes?: string;
  items?: LineValues[];
  custom_fields?: CustomValues;
}

function text(value: string | undefined | null): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function decimal(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  return String(value).trim();
}

/** A row the user left completely empty (added and never filled) is not a line. */
export function isBlankLine(line: LineValues | undefined): boolean {
  return !line || (!line.product_id && !text(line.name) && decimal(line.unit_price) === null);
}

export function linesToInput(lines: readonly (LineValues | undefined)[] | undefined): OpportunityLineInput[] {
  return (lines ?? [])
    .filter((line): line is LineValues => !isBlankLine(line))
    .map((line) => ({
      product_id: line.product_id ?? null,
      name: text(line.name),
      quantity: decimal(line.quantity) ?? '1',
      unit: text(line.unit),
      unit_price: decimal(line.unit_price),
      discount: decimal(line.discount) ?? '0',
    }));
}

/** What the editor shows under a row: its line total, or null while it is incomplete. */
export function lineTotalOf(line: LineValues | undefined): string | null {
  if (!line) return null;
  return lineTotal(line.quantity ?? null, line.unit_price ?? null, line.discount ?? '0');
}

/** Sum of the complete rows' line totals (the amount the server will compute). */
export function linesTotal(lines: readonly (LineValues | undefined)[] | undefined): string {
  return sumAmounts((lines ?? []).map(lineTotalOf));
}

export function hasLines(lines: readonly (LineValues | undefined)[] | undefined): boolean {
  return (lines ?? []).some((line) => !isBlankLine(line));
}

export function linesFromDeal(deal: Opportunity): LineValues[] {
  return deal.items.map((item) => ({
    product_id: item.product_id,
    product_currency: null,
    name: item.name,
    quantity: trimZeros(item.quantity),
    unit: item.unit ?? '',
    unit_price: item.unit_price,
    discount: trimZeros(item.discount),
  }));
}

/** "2.0000" → "2", "12.50" → "12.5": quantities and discounts as a person writes them. */
export function trimZeros(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}

export function formFromDeal(deal: Opportunity, fields: readonly CustomField[]): DealFormValues {
  return {
    customer_id: deal.customer_id,
    contact_id: deal.contact_id,
    name: deal.name,
    pipeline_id: deal.pipeline_id,
    stage_id: deal.stage_id,
    amount: deal.amount,
    currency: deal.currency,
    expected_close_date: deal.expected_close_date ? dayjs(deal.expected_close_date) : null,
    probability: deal.probability_manual ? deal.probability : null,
    owner_id: deal.owner_id,
    source: deal.source ?? '',
    campaign_id: deal.campaign_id,
    notes: deal.notes ?? '',
    items: linesFromDeal(deal),
    custom_fields: customValuesToForm(fields, deal.custom_fields),
  };
}

export function createBody(values: DealFormValues, fields: readonly CustomField[]): OpportunityCreate {
  const items = linesToInput(values.items);
  return {
    customer_id: values.customer_id!,
    contact_id: values.contact_id ?? null,
    name: values.name.trim(),
    // with line items the server takes the amount from them
    amount: items.length === 0 ? (decimal(values.amount) ?? '0') : '0',
    currency: values.currency,
    expected_close_date: values.expected_close_date ? values.expected_close_date.format('YYYY-MM-DD') : null,
    pipeline_id: values.pipeline_id ?? null,
    stage_id: values.stage_id ?? null,
    probability: values.probability ?? null,
    owner_id: values.owner_id ?? null,
    source: text(values.source),
    campaign_id: values.campaign_id ?? null,
    notes: text(values.notes),
    items,
    custom_fields: customValuesFromForm(fields, values.custom_fields, { keepNulls: false }),
  };
}

function sameLines(a: OpportunityLineInput[], b: OpportunityLineInput[]): boolean {
  if (a.length !== b.length) return false;
  const same = (x: string | null | undefined, y: string | null | undefined, scale: number) =>
    toScaled(x ?? null, scale) === toScaled(y ?? null, scale);
  return a.every((line, i) => {
    const other = b[i];
    return (
      (line.product_id ?? null) === (other.product_id ?? null) &&
      (line.name ?? null) === (other.name ?? null) &&
      (line.unit ?? null) === (other.unit ?? null) &&
      same(String(line.quantity), String(other.quantity), 4) &&
      same(line.unit_price as string | null | undefined, other.unit_price as string | null | undefined, 2) &&
      same(String(line.discount ?? '0'), String(other.discount ?? '0'), 2)
    );
  });
}

/** Only what the edit changed; `items` whole (it replaces them) when any line changed. */
export function updateBody(deal: Opportunity, values: DealFormValues, fields: readonly CustomField[]): OpportunityUpdate {
  const body: OpportunityUpdate = {};
  const set = <K extends keyof OpportunityUpdate>(key: K, next: OpportunityUpdate[K], current: unknown) => {
    if ((next ?? null) !== (current ?? null)) body[key] = next;
  };
  set('name', values.name.trim(), deal.name);
  set('contact_id', values.contact_id ?? null, deal.contact_id);
  set('currency', values.currency, deal.currency);
  set(
    'expected_close_date',
    values.expected_close_date ? values.expected_close_date.format('YYYY-MM-DD') : null,
    deal.expected_close_date,
  );
  // the owner is not in the form of someone who may not reassign deals
  if (values.owner_id !== undefined) set('owner_id', values.owner_id, deal.owner_id);
  set('source', text(values.source), deal.source);
  set('campaign_id', values.campaign_id ?? null, deal.campaign_id);
  set('notes', text(values.notes), deal.notes);
  const probability = values.probability ?? null;
  if (probability === null ? deal.probability_manual : !deal.probability_manual || probability !== deal.probability) {
    body.probability = probability;
  }
  const before = linesToInput(linesFromDeal(deal));
  const after = linesToInput(values.items);
  const linesChanged = !sameLines(before, after);
  if (linesChanged || (body.currency !== undefined && after.length > 0)) body.items = after;
  if (after.length === 0) {
    const amount = decimal(values.amount) ?? '0';
    if (linesChanged || toCents(amount) !== toCents(deal.amount)) body.amount = amount;
  }
  const custom = customValuesFromForm(fields, values.custom_fields, { keepNulls: true });
  const current = deal.custom_fields;
  const customChanged = Object.entries(custom).some(
    ([key, value]) => JSON.stringify(value ?? null) !== JSON.stringify(current[key] ?? null),
  );
  if (customChanged) body.custom_fields = custom;
  return body;
}
