import { describe, expect, it } from 'vitest';

import type { CustomField } from '../../api/types';
import i18n from '../../i18n';
import { assignmentNoteText, parseAssignmentNote } from './assignmentNote';
import { isFiltered, leadListParams, UNASSIGNED } from './filters';
import { createBody, updateBody } from './form';
import type { Lead } from './types';

const t = i18n.t.bind(i18n) as unknown as (key: string, options?: Record<string, unknown>) => string;

function lead(overrides: Partial<Lead> = {}): Lead {
  return {
    id: 'l1',
    name: '王经理',
    company: '嘉兴新材料有限公司',
    title: null,
    phones: ['13912345678'],
    email: null,
    province: '浙江',
    city: '嘉兴',
    source: '官网表单',
    campaign_id: null,
    status: 'new',
    owner_id: 'u-li',
    score: 40,
    notes: null,
    custom_fields: { budget: '50000.00' },
    assigned_rule_id: 'r1',
    assignment_note: "rule 'East China web leads', round-robin, next after Li Lei",
    converted_customer_id: null,
    converted_at: null,
    created_at: '2026-11-01T08:00:00Z',
    updated_at: '2026-11-01T08:00:00Z',
    version: 3,
    ...overrides,
  };
}

const budget: CustomField = {
  id: 'f1',
  entity: 'lead',
  key: 'budget',
  label_zh: '预算',
  label_en: 'Budget',
  type: 'money',
  options: [],
  required: false,
  default: null,
  position: 0,
  created_at: '2026-01-01T00:00:00Z',
  version: 1,
};

describe('lead list filters', () => {
  it('become query parameters, with "nobody" as unassigned and blanks left out', () => {
    expect(
      leadListParams({ q: '  嘉兴 ', status: 'qualified', owner: UNASSIGNED, source: ' ', campaign_id: 'c1', sort: '-score' }),
    ).toEqual({ q: '嘉兴', status: 'qualified', unassigned: true, campaign_id: 'c1', sort: '-score' });
    expect(leadListParams({ owner: 'u-li', source: '展会' })).toEqual({ owner_id: 'u-li', source: '展会' });
  });

  it('count as filtered only for what narrows beyond status and order', () => {
    expect(isFiltered({ status: 'new', sort: 'name' })).toBe(false);
    expect(isFiltered({ source: '展会' })).toBe(true);
  });
});

describe('assignment notes', () => {
  it('read in Chinese for each shape the server writes', () => {
    expect(assignmentNoteText(lead().assignment_note, t)).toBe(
      '分配规则「East China web leads」，轮流分配，接在 Li Lei 之后',
    );
    expect(assignmentNoteText("rule 'w', weighted round-robin (weight 3 of 4)", t)).toBe(
      '分配规则「w」，按权重轮流（权重 3/4）',
    );
    expect(assignmentNoteText("rule 'cap', least loaded (2 open leads)", t)).toBe(
      '分配规则「cap」，分给线索最少的人（当时 2 条未完成）',
    );
    expect(assignmentNoteText('no assignment rule matched; waiting in the lead pool', t)).toBe(
      '没有匹配的分配规则，在线索池中等待分配',
    );
  });

  it('keep skipped rules apart and pass unknown text through', () => {
    const parts = parseAssignmentNote("rule 'a': every candidate is inactive or at capacity; rule 'b': every candidate is inactive or at capacity");
    expect(parts).toEqual([
      { kind: 'unavailable', rule: 'a' },
      { kind: 'unavailable', rule: 'b' },
    ]);
    expect(assignmentNoteText('assigned by hand', t)).toBe('assigned by hand');
    expect(assignmentNoteText(null, t)).toBe('');
  });

  it('read in English too', async () => {
    await i18n.changeLanguage('en');
    expect(assignmentNoteText("rule 'East', team round-robin, next after 韩梅梅", t)).toBe(
      'Rule “East”, team round-robin, next after 韩梅梅',
    );
  });
});

describe('lead form bodies', () => {
  it('create: trimmed non-empty fields, no owner so the rules assign, custom values as stored', () => {
    expect(
      createBody(
        {
          name: ' 赵先生 ',
          company: '宁波甬江电器',
          phones: [' 13805740001 ', ''],
          email: '',
          source: '展会',
          score: 0,
          owner_id: null,
          custom_fields: { budget: '12000' },
        },
        [budget],
      ),
    ).toEqual({
      name: '赵先生',
      company: '宁波甬江电器',
      phones: ['13805740001'],
      source: '展会',
      score: 0,
      custom_fields: { budget: '12000' },
    });
  });

  it('update: only what changed, cleared text as null', () => {
    const original = lead();
    expect(
      updateBody(
        original,
        {
          name: '王经理',
          company: '',
          phones: ['13912345678'],
          province: '浙江',
          city: '嘉兴',
          status: 'qualified',
          score: 40,
          owner_id: 'u-li',
          custom_fields: { budget: '50000.00' },
        },
        [budget],
      ),
    ).toEqual({ company: null, status: 'qualified' });
    expect(updateBody(original, { name: '王经理', company: '嘉兴新材料有限公司', phones: ['13912345678'], province: '浙江', city: '嘉兴', custom_fields: { budget: '50000.00' } }, [budget])).toEqual({});
  });
});
