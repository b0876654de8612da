import { describe, expect, it } from 'vitest';

import i18n from '../../i18n';
import { csatPath, csatUrl, distributionRows, surveyLanguage } from './csat';
import { ticketListParams } from './filters';
import { createBody } from './form';
import { historyNoteText, ticketNoteText } from './notes';
import { amountOf, minutesOfAmount, policyDraft, policyPayload } from './policy';
import { statusActions } from './statuses';
import type { SlaPolicy } from './types';

const t = i18n.t.bind(i18n) as unknown as (key: string, options?: Record<string, unknown>) => string;

describe('ticket list query', () => {
  it('sends the queue and only what was chosen; open/done stand for status groups', () => {
    expect(ticketListParams({ queue: 'mine' })).toEqual({ queue: 'mine' });
    expect(ticketListParams({ queue: 'all', q: '  GD-0001 ', status: 'open', breached: false })).toEqual({
      queue: 'all',
      q: 'GD-0001',
      open: true,
      breached: false,
    });
    expect(ticketListParams({ queue: 'team', status: 'done', priority: 'urgent', sort: '-priority' })).toEqual({
      queue: 'team',
      open: false,
      priority: 'urgent',
      sort: '-priority',
    });
    expect(ticketListParams({ queue: 'unassigned', status: 'pending', q: ' ' })).toEqual({ queue: 'unassigned', status: ['pending'] });
  });
});

describe('status actions', () => {
  it('offers what the server allows, reopening for done tickets', () => {
    expect(statusActions('new', ['open', 'pending', 'resolved', 'closed']).map((a) => a.action)).toEqual([
      'open',
      'pending',
      'resolve',
      'close',
    ]);
    expect(statusActions('open', ['pending', 'resolved', 'closed']).map((a) => a.action)).toEqual(['pending', 'resolve', 'close']);
    expect(statusActions('resolved', ['open', 'closed'])).toEqual([
      { action: 'reopen', to: 'open' },
      { action: 'close', to: 'closed' },
    ]);
    // Past the reopen window the server allows nothing more.
    expect(statusActions('closed', [])).toEqual([]);
  });
});

describe('create body', () => {
  it('leaves blanks out so defaults and routing apply', () => {
    expect(
      createBody({ subject: ' 无法开机 ', description: ' ', channel: 'phone', type: 'repair', priority: 'high', requester_name: ' 王女士 ', requester_phone: '', assignee_id: null }),
    ).toEqual({ subject: '无法开机', channel: 'phone', type: 'repair', priority: 'high', requester_name: '王女士' });
  });
});

describe('SLA policy editor', () => {
  it('reads whole hours as hours and sends minutes', () => {
    expect(amountOf(240)).toEqual({ value: 4, unit: 'hours' });
    expect(amountOf(90)).toEqual({ value: 90, unit: 'minutes' });
    expect(amountOf(null)).toEqual({ value: null, unit: 'hours' });
    expect(minutesOfAmount({ value: 1.5, unit: 'hours' })).toBe(90);
    expect(minutesOfAmount({ value: 0, unit: 'hours' })).toBeNull();
    expect(minutesOfAmount({ value: null, unit: 'minutes' })).toBeNull();
  });

  it('leaves out priorities without targets and tidies the levels', () => {
    const policy: SlaPolicy = {
      id: 'p1',
      name: 'VIP',
      position: 1,
      active: true,
      customer_levels: ['A'],
      customer_rfm_tiers: [],
      calendar_id: 'cal-1',
      targets: { urgent: { first_response_minutes: 15, resolution_minutes: 240 }, high: { first_response_minutes: 60, resolution_minutes: null } },
      warning_minutes: 10,
      version: 2,
    };
    const draft = policyDraft(policy);
    expect(draft.targets.urgent.first).toEqual({ value: 15, unit: 'minutes' });
    expect(draft.targets.normal.first).toEqual({ value: null, unit: 'hours' });
    const payload = policyPayload({ ...draft, customer_levels: [' A ', 'A', '', 'B'] });
    expect(payload).toEqual({
      name: 'VIP',
      position: 1,
      active: true,
      customer_levels: ['A', 'B'],
      calendar_id: 'cal-1',
      warning_minutes: 10,
      targets: { urgent: { first_response_minutes: 15, resolution_minutes: 240 }, high: { first_response_minutes: 60, resolution_minutes: null } },
    });
  });

  it('suggests targets for every priority on a new policy', () => {
    const payload = policyPayload({ ...policyDraft(), name: 'Standard' });
    expect(Object.keys(payload.targets)).toEqual(['urgent', 'high', 'normal', 'low']);
    expect(payload.targets.urgent).toEqual({ first_response_minutes: 30, resolution_minutes: 240 });
  });
});

describe('satisfaction survey', () => {
  it('links to the public page', () => {
    expect(csatPath('a b')).toBe('/public/csat/a%20b');
    expect(csatUrl('https://crm.example.com/', 'tok')).toBe('https://crm.example.com/public/csat/tok');
  });

  it("follows the customer's earlier choice, then the browser", () => {
    expect(surveyLanguage('en', ['zh-CN'])).toBe('en');
    expect(surveyLanguage(null, ['en-US', 'zh-CN'])).toBe('en');
    expect(surveyLanguage(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(surveyLanguage(null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(surveyLanguage('de', ['fr'])).toBe('zh-CN');
  });

  it('turns the distribution into rows with shares, best first', () => {
    expect(distributionRows({ '5': 3, '4': 1 })).toEqual([
      { score: 5, count: 3, percent: 75 },
      { score: 4, count: 1, percent: 25 },
      { score: 3, count: 0, percent: 0 },
      { score: 2, count: 0, percent: 0 },
      { score: 1, count: 0, percent: 0 },
    ]);
    expect(distributionRows({}).every((r) => r.percent === 0)).toBe(true);
  });
});

describe('server notes', () => {
  it('reads the routing notes in the UI language and keeps unknown ones as written', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(ticketNoteText("rule 'VIP 售后', round-robin, next after 李雷", t)).toBe('规则“VIP 售后”，轮流分配，接在 李雷 之后');
    expect(ticketNoteText("rule 'Web', least loaded (3 open tickets)", t)).toBe('规则“Web”，未结工单最少（3 个）');
    expect(ticketNoteText('no routing rule matched; waiting in the unassigned queue', t)).toBe('没有匹配的分派规则，在未分配队列等待');
    expect(ticketNoteText('something new', t)).toBe('something new');
    expect(ticketNoteText(null, t)).toBeNull();
    expect(historyNoteText('closed automatically 7 days after resolution', t)).toBe('解决 7 天后自动关闭');
    await i18n.changeLanguage('en');
    expect(ticketNoteText("rule 'Web', round-robin", t)).toBe('Rule "Web", round-robin');
    expect(historyNoteText('first reply', t)).toBe('first reply');
  });
});
