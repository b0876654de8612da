import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';

import type { Customer, CustomField } from '../../api/types';
import { customValuesFromForm, customValuesToForm } from '../custom-fields/values';
import { buildDuplicateCheck, changedFields, type CustomerFormValues } from './form';

function field(key: string, type: CustomField['type'], options: string[] = []): CustomField {
  return {
    id: key,
    entity: 'customer',
    key,
    label_zh: key,
    label_en: key,
    type,
    options,
    required: false,
    default: null,
    position: 0,
    version: 1,
    created_at: '2026-01-01T00:00:00Z',
  };
}

const defs = [field('budget', 'money'), field('since', 'date'), field('scale', 'select', ['S', 'L']), field('vip', 'boolean')];

const customer = {
  id: 'c1',
  name: '星辰贸易',
  kind: 'company',
  status: 'potential',
  phones: ['13800138000'],
  email: null,
  credit_code: null,
  short_name: null,
  level: 'A',
  source: null,
  industry: null,
  province: null,
  city: null,
  district: null,
  address: null,
  website: null,
  tag_ids: [],
  custom_fields: { budget: '1000.00', since: '2025-05-01' },
} as unknown as Customer;

function values(overrides: Partial<CustomerFormValues> = {}): CustomerFormValues {
  return {
    kind: 'company',
    name: '星辰贸易',
    phones: ['13800138000'],
    status: 'potential',
    level: 'A',
    tag_ids: [],
    custom_fields: customValuesToForm(defs, customer.custom_fields),
    ...overrides,
  };
}

describe('custom field values', () => {
  it('round-trips money and dates between the API and the form', () => {
    const form = customValuesToForm(defs, { budget: '1000.00', since: '2025-05-01', scale: 'L' });
    expect(dayjs.isDayjs(form.since)).toBe(true);
    expect(customValuesFromForm(defs, form, { keepNulls: false })).toEqual({
      budget: '1000.00',
      since: '2025-05-01',
      scale: 'L',
    });
  });

  it('sends nulls for cleared fields on edit, and leaves them out on create', () => {
    expect(customValuesFromForm(defs, { budget: '', vip: false }, { keepNulls: true })).toEqual({
      budget: null,
      since: null,
      scale: null,
      vip: false,
    });
    expect(customValuesFromForm(defs, { budget: '' }, { keepNulls: false })).toEqual({});
  });
});

describe('changedFields', () => {
  it('sends only what an edit changed (so an unchanged identity skips the duplicate check)', () => {
    expect(changedFields(customer, values({ industry: ' 制造 ' }), defs)).toEqual({ force: false, industry: '制造' });
    expect(changedFields(customer, values(), defs)).toEqual({ force: false });
  });

  it('sends the whole custom_fields object when a custom value changed', () => {
    const form = values();
    form.custom_fields = { ...form.custom_fields, budget: '2500' };
    expect(changedFields(customer, form, defs)).toEqual({
      force: false,
      custom_fields: { budget: '2500', since: '2025-05-01', scale: null, vip: null },
    });
  });
});

describe('buildDuplicateCheck', () => {
  it('checks what is typed, upper-cases the credit code and skips fragments', () => {
    expect(buildDuplicateCheck({ name: '星', phones: ['138'], email: 'a@', credit_code: '91330' })).toBeNull();
    expect(
      buildDuplicateCheck({ name: '星辰贸易', phones: ['138 0013 8000'], email: 'x@y.cn', credit_code: '91330100ma27xxxx1a' }),
    ).toEqual({ name: '星辰贸易', phones: ['138 0013 8000'], email: 'x@y.cn', credit_code: '91330100MA27XXXX1A' });
  });

  it("excludes the customer being edited and ignores its unchanged values", () => {
    expect(buildDuplicateCheck({ name: '星辰贸易', phones: ['13800138000'] }, customer)).toBeNull();
    expect(buildDuplicateCheck({ name: '星辰国际', phones: ['13800138000'] }, customer)).toEqual({
      name: '星辰国际',
      exclude_id: 'c1',
    });
  });
});
