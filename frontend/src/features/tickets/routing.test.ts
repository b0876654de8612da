import { describe, expect, it } from 'vitest';

import { catchesAll, nextRulePosition, reorderChanges, routingRuleBody, routingRuleToForm, sortRules } from './routing';
import type { RoutingRule } from './types';

function rule(over: Partial<RoutingRule> = {}): RoutingRule {
  return {
    id: 'r1',
    name: 'VIP 投诉',
    position: 1,
    active: true,
    conditions: { channels: [], types: [], customer_levels: [] },
    team_id: 't1',
    strategy: 'round_robin',
    capacity: null,
    version: 3,
    ...over,
  };
}

describe('routing rule form', () => {
  it('starts a new rule active, round robin, catching everything', () => {
    const values = routingRuleToForm(undefined);
    expect(values).toMatchObject({ active: true, strategy: 'round_robin', channels: [], types: [], customer_levels: [] });
  });

  it('round-trips a saved rule into the same body', () => {
    const saved = rule({
      conditions: { channels: ['phone', 'wechat'], types: ['complaint'], customer_levels: ['VIP'] },
      strategy: 'least_loaded',
      capacity: 8,
      position: 4,
    });
    expect(routingRuleBody(routingRuleToForm(saved), saved.position)).toEqual({
      name: 'VIP 投诉',
      active: true,
      position: 4,
      conditions: { channels: ['phone', 'wechat'], types: ['complaint'], customer_levels: ['VIP'] },
      team_id: 't1',
      strategy: 'least_loaded',
      capacity: 8,
    });
  });

  it('trims names and levels, drops blanks and repeats', () => {
    const body = routingRuleBody(
      { ...routingRuleToForm(undefined), name: '  重点客户 ', team_id: 't2', customer_levels: [' A ', 'A', ''], types: ['repair', 'repair'] },
      2,
    );
    expect(body.name).toBe('重点客户');
    expect(body.conditions).toEqual({ channels: [], types: ['repair'], customer_levels: ['A'] });
  });

  it('sends no capacity when the rule picks no agent', () => {
    const body = routingRuleBody({ ...routingRuleToForm(undefined), team_id: 't1', strategy: 'none', capacity: 5 }, 1);
    expect(body.capacity).toBeNull();
    const kept = routingRuleBody({ ...routingRuleToForm(undefined), team_id: 't1', strategy: 'round_robin', capacity: 5 }, 1);
    expect(kept.capacity).toBe(5);
  });

  it('knows a rule without conditions catches every ticket', () => {
    expect(catchesAll(rule())).toBe(true);
    expect(catchesAll(rule({ conditions: { channels: ['email'], types: [], customer_levels: [] } }))).toBe(false);
  });
});

describe('routing rule order', () => {
  const a = rule({ id: 'a', position: 1 });
  const b = rule({ id: 'b', position: 2 });
  const c = rule({ id: 'c', position: 3 });

  it('sorts by position, keeping the server order for ties', () => {
    const tie = rule({ id: 'd', position: 2 });
    expect(sortRules([c, b, tie, a]).map((r) => r.id)).toEqual(['a', 'b', 'd', 'c']);
  });

  it('puts a new rule after the last one', () => {
    expect(nextRulePosition([a, c])).toBe(4);
    expect(nextRulePosition([])).toBe(1);
  });

  it('moves a rule and patches only the positions that change', () => {
    expect(reorderChanges([a, b, c], 2, 0).map(({ rule: r, body }) => [r.id, body.position])).toEqual([
      ['c', 1],
      ['a', 2],
      ['b', 3],
    ]);
    expect(reorderChanges([a, b, c], 0, 1).map(({ rule: r, body }) => [r.id, body.position])).toEqual([
      ['b', 1],
      ['a', 2],
    ]);
  });

  it('renumbers gaps and ties so the order sticks', () => {
    const x = rule({ id: 'x', position: 0 });
    const y = rule({ id: 'y', position: 0 });
    expect(reorderChanges([x, y], 1, 0).map(({ rule: r, body }) => [r.id, body.position])).toEqual([
      ['y', 1],
      ['x', 2],
    ]);
  });

  it('changes nothing for a move in place or out of range', () => {
    expect(reorderChanges([a, b], 1, 1)).toEqual([]);
    expect(reorderChanges([a, b], 0, 5)).toEqual([]);
  });
});
