/**
 * Custom field values between the API (JSON: money as a decimal string, dates as YYYY-MM-DD)
 * and antd form controls (dayjs for dates, string-mode numbers for money).
 */
import dayjs from 'dayjs';

/** A scalar value as text; anything else as JSON (never "[object Object]"). */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

import type { CustomField } from '../../api/types';

export type CustomValues = Record<string, unknown>;

/** The label in the UI language (Chinese unless English is chosen). */
export function fieldLabel(field: Pick<CustomField, 'label_zh' | 'label_en' | 'key'>, language: string): string {
  const label = language === 'en' ? field.label_en || field.label_zh : field.label_zh || field.label_en;
  return label || field.key;
}

/** API values → form values (only the defined fields). */
export function customValuesToForm(fields: readonly CustomField[], values: CustomValues | undefined): CustomValues {
  const out: CustomValues = {};
  for (const field of fields) {
    const value = values?.[field.key];
    if (value === undefined || value === null) continue;
    if (field.type === 'date' && typeof value === 'string') {
      const d = dayjs(value);
      if (d.isValid()) out[field.key] = d;
    } else if (field.type === 'money' || field.type === 'number') {
      out[field.key] = valueText(value);
    } else {
      out[field.key] = value;
    }
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * Form values → the `custom_fields` body. Emptied fields become null so an edit clears them
 * (the server drops null values); without `keepNulls` empty fields are left out (a create).
 */
export function customValuesFromForm(
  fields: readonly CustomField[],
  form: CustomValues | undefined,
  { keepNulls }: { keepNulls: boolean },
): CustomValues {
  const out: CustomValues = {};
  for (const field of fields) {
    const value = form?.[field.key];
    if (isEmpty(value)) {
      if (keepNulls) out[field.key] = null;
      continue;
    }
    switch (field.type) {
      case 'date':
        out[field.key] = dayjs.isDayjs(value) ? (value).format('YYYY-MM-DD') : value;
        break;
      case 'number':
        out[field.key] = typeof value === 'string' ? Number(value) : value;
        break;
      case 'money':
        out[field.key] = valueText(value);
        break;
      case 'text':
      case 'long_text':
        out[field.key] = typeof value === 'string' ? value.trim() || null : value;
        if (out[field.key] === null && !keepNulls) delete out[field.key];
        break;
      default:
        out[field.key] = value;
    }
  }
  return out;
}

/** A filter value as the `cf.<key>` query parameter wants it. */
export function customFilterValue(field: CustomField, value: unknown): string | null {
  if (isEmpty(value)) return null;
  if (field.type === 'date' && dayjs.isDayjs(value)) return (value).format('YYYY-MM-DD');
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return valueText(value);
}

/** Field types a list filter can offer (exact match on the stored value). */
export const FILTERABLE_TYPES = new Set(['text', 'number', 'money', 'date', 'select', 'multi_select', 'boolean', 'user']);
