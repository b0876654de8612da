import { describe, expect, it } from 'vitest';

import type { AssignmentRule } from './api';
import { catchesAll, moveRule, ruleBody, type RuleFormValues, ruleToForm, sampleLeadFor } from './rules';

function rule(overrides: Partial<AssignmentRule> = {}): AssignmentRule {
  return {
    id: 'r1',
    name: '华东官网线索',
    position: 1,
    active: true,
    conditions: { sources: ['官网表单'], campaign_ids: [], provinces: ['浙江', '江苏'], cities: [], custom: {} },
    strategy: 'round_robin',
    user_ids: ['u-li', 'u-han'],
    team_id: null,
    weights: {},
    capacity: null,
    version: 1,
    ...overrides,
  };
}

const values = (overrides: Partial<RuleFormValues>): RuleFormValues => ({ ...ruleToForm(undefined, []), ...overrides });

describe('assignment rule bodies', () => {
  it('keep the users in the order picked, trim and de-duplicate condition values', () => {
    expect(
      ruleBody(
        values({ name: ' 展会线索 ', sources: [' 展会', '展会', ''], provinces: ['上海'], user_ids: ['u-b', 'u-a'], capacity: 30 }),
        [],
        4,
      ),
    ).toEqual({
      name: '展会线索',
      position: 4,
      active: true,
      conditions: { sources: ['展会'], campaign_ids: [], provinces: ['上海'], cities: [], custom: {} },
      strategy: 'round_robin',
      user_ids: ['u-b', 'u-a'],
      team_id: null,
      weights: {},
      capacity: 30,
    });
  });

  it('send weights only for the weighted strategy, at least 1 each', () => {
    const body = ruleBody(values({ name: 'w', strategy: 'weighted', user_ids: ['u-a', 'u-b'], weights: { 'u-a': 3, 'u-c': 9 } }), [], 1);
    expect(body.weights).toEqual({ 'u-a': 3, 'u-b': 1 });
  });

  it('send one user for a fixed rule and a team (no users) for a team rule', () => {
    expect(ruleBody(values({ name: 'f', strategy: 'fixed_user', user_ids: ['u-a', 'u-b'] }), [], 1).user_ids).toEqual(['u-a']);
    const team = ruleBody(values({ name: 't', strategy: 'team', user_ids: ['u-a'], team_id: 't1' }), [], 1);
    expect([team.user_ids, team.team_id]).toEqual([[], 't1']);
  });

  it('round-trip an existing rule through the form', () => {
    const original = rule({ capacity: 20 });
    expect(ruleBody(ruleToForm(original, []), [], original.position)).toEqual({
      name: original.name,
      position: 1,
      active: true,
      conditions: original.conditions,
      strategy: 'round_robin',
      user_ids: ['u-li', 'u-han'],
      team_id: null,
      weights: {},
      capacity: 20,
    });
  });
});

describe('testing a rule', () => {
  it("builds a lead from each condition's first value", () => {
    expect(sampleLeadFor(rule())).toEqual({
      name: 'preview',
      score: 0,
      source: '官网表单',
      campaign_id: null,
      province: '浙江',
      city: null,
      custom_fields: null,
    });
  });

  it('knows a rule without conditions catches every lead', () => {
    expect(catchesAll(rule())).toBe(false);
    expect(catchesAll(rule({ conditions: {} }))).toBe(true);
  });
});

describe('reordering', () => {
  it('moves one rule and keeps the rest in order', () => {
    expect(moveRule(['a', 'b', 'c', 'd'], 3, 1)).toEqual(['a', 'd', 'b', 'c']);
    expect(moveRule(['a', 'b'], 0, 5)).toEqual(['a', 'b']);
  });
});
