import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';

import type { Opportunity } from '../../api/types';
import { createBody, formFromDeal, linesToInput, linesTotal, trimZeros, updateBody } from './dealForm';

const deal: Opportunity = {
  id: 'd1',
  name: 'CRM 年度订阅',
  customer_id: 'c1',
  customer_name: '广州天河美妆贸易有限公司',
  contact_id: null,
  amount: '4320.00',
  currency: 'CNY',
  expected_close_date: '2026-12-31',
  pipeline_id: 'p1',
  stage_id: 's1',
  status: 'open',
  probability: 30,
  probability_manual: false,
  stage_entered_at: '2026-11-01T00:00:00Z',
  rotting: false,
  owner_id: 'u1',
  source: null,
  campaign_id: null,
  lead_id: null,
  lost_reason_id: null,
  lost_note: null,
  won_at: null,
  lost_at: null,
  notes: null,
  items: [
    {
      id: 'l1',
      product_id: 'prod1',
      name: 'Rapport 专业版（年）',
      position: 0,
      quantity: '2.0000',
      unit: '用户/年',
      unit_price: '2400.00',
      discount: '10.00',
      line_total: '4320.00',
    },
  ],
  custom_fields: {},
  external_source: null,
  external_id: null,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
  version: 3,
};

describe('line items from the form', () => {
  it('skip rows left empty and default quantity and discount', () => {
    expect(
      linesToInput([
        { name: '', quantity: '1', discount: '0' },
        { name: ' 实施服务 ', quantity: '', unit_price: '2500', discount: null },
        undefined,
      ]),
    ).toEqual([{ product_id: null, name: '实施服务', quantity: '1', unit: null, unit_price: '2500', discount: '0' }]);
  });

  it('total the complete rows only', () => {
    expect(linesTotal([{ quantity: '2', unit_price: '2400', discount: '10' }, { quantity: '1' }])).toBe('4320.00');
  });

  it('show quantities as people write them', () => {
    expect(trimZeros('2.0000')).toBe('2');
    expect(trimZeros('12.50')).toBe('12.5');
    expect(trimZeros('100')).toBe('100');
  });
});

describe('create body', () => {
  it('sends the amount only without line items', () => {
    const body = createBody(
      { customer_id: 'c1', name: ' 新商机 ', currency: 'USD', amount: '12345.6', expected_close_date: dayjs('2027-01-15'), items: [] },
      [],
    );
    expect(body).toMatchObject({ customer_id: 'c1', name: '新商机', amount: '12345.6', currency: 'USD', expected_close_date: '2027-01-15', items: [] });
    const withLines = createBody(
      { customer_id: 'c1', name: 'x', currency: 'CNY', amount: '99', items: [{ product_id: 'prod1', quantity: '3' }] },
      [],
    );
    expect(withLines.amount).toBe('0');
    expect(withLines.items).toHaveLength(1);
  });
});

describe('update body', () => {
  it('is empty when nothing changed', () => {
    expect(updateBody(deal, formFromDeal(deal, []), [])).toEqual({});
  });

  it('sends only the changed fields, and all lines when one changed', () => {
    const values = formFromDeal(deal, []);
    values.name = 'CRM 两年订阅';
    values.items = [{ ...values.items![0], quantity: '3' }];
    const body = updateBody(deal, values, []);
    expect(body.name).toBe('CRM 两年订阅');
    expect(body.items).toEqual([
      { product_id: 'prod1', name: 'Rapport 专业版（年）', quantity: '3', unit: '用户/年', unit_price: '2400.00', discount: '10' },
    ]);
    expect(body).not.toHaveProperty('amount');
  });

  it('leaves the owner alone when the form has no owner field', () => {
    const values = formFromDeal(deal, []);
    delete values.owner_id;
    expect(updateBody(deal, values, [])).toEqual({});
  });

  it('sets a probability by hand and clears it back to the stage default', () => {
    const values = formFromDeal(deal, []);
    values.probability = 45;
    expect(updateBody(deal, values, [])).toEqual({ probability: 45 });
    const manual = { ...deal, probability: 45, probability_manual: true };
    const cleared = formFromDeal(manual, []);
    expect(cleared.probability).toBe(45);
    cleared.probability = null;
    expect(updateBody(manual, cleared, [])).toEqual({ probability: null });
  });

  it('sends the lines again with a new currency, and the amount once they are gone', () => {
    const values = formFromDeal(deal, []);
    values.currency = 'USD';
    expect(updateBody(deal, values, [])).toMatchObject({ currency: 'USD', items: expect.any(Array) as unknown });
    const removed = formFromDeal(deal, []);
    removed.items = [];
    removed.amount = '5000';
    expect(updateBody(deal, removed, [])).toEqual({ items: [], amount: '5000' });
  });
});
