import { describe, expect, it } from 'vitest';

import { formTypes, sampleNumber, settingsPatch, settingsToForm, typeLabels } from './settings';
import type { TicketSettings } from './types';

const saved: TicketSettings = {
  number_prefix: 'GD',
  types: ['question', 'complaint', 'repair'],
  reopen_days: 7,
  csat_days: 7,
  auto_close_days: 7,
};

describe('ticket settings form', () => {
  it('sends nothing when nothing changed', () => {
    expect(settingsPatch(saved, settingsToForm(saved))).toEqual({});
  });

  it('sends only the changed fields', () => {
    const values = { ...settingsToForm(saved), number_prefix: ' SH ', auto_close_days: 0 };
    expect(settingsPatch(saved, values)).toEqual({ number_prefix: 'SH', auto_close_days: 0 });
  });

  it('sends the whole type list, trimmed and without blanks or repeats, when it changed', () => {
    const values = { ...settingsToForm(saved), types: [{ name: 'question' }, { name: ' 安装 ' }, {}, { name: '安装' }, { name: 'repair' }] };
    expect(formTypes(values)).toEqual(['question', '安装', 'repair']);
    expect(settingsPatch(saved, values)).toEqual({ types: ['question', '安装', 'repair'] });
  });

  it('treats a new order of the types as a change', () => {
    const values = { ...settingsToForm(saved), types: [{ name: 'repair' }, { name: 'question' }, { name: 'complaint' }] };
    expect(settingsPatch(saved, values)).toEqual({ types: ['repair', 'question', 'complaint'] });
  });

  it('leaves an emptied number field out rather than sending null', () => {
    expect(settingsPatch(saved, { ...settingsToForm(saved), csat_days: null })).toEqual({});
  });

  it('labels built-in types in both languages and custom ones as typed', () => {
    expect(typeLabels('complaint')).toEqual({ zh: '投诉', en: 'Complaint', builtin: true });
    expect(typeLabels('安装调试')).toEqual({ zh: '安装调试', en: '安装调试', builtin: false });
  });

  it('shows a sample number', () => {
    expect(sampleNumber('SH')).toBe('SH-000123');
    expect(sampleNumber('')).toBe('GD-000123');
  });
});
