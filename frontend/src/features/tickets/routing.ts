/** Routing rules between the API and the editor, and the position changes of a new order. */
import type { RoutingRule, RoutingRuleCreate, RoutingRuleUpdate, RoutingStrategy, TicketChannel } from './types';

export const ROUTING_STRATEGIES: readonly RoutingStrategy[] = ['round_robin', 'least_loaded', 'none'];

export interface RoutingRuleFormValues {
  name: string;
  active: boolean;
  channels: TicketChannel[];
  types: string[];
  customer_levels: string[];
  team_id?: string | null;
  strategy: RoutingStrategy;
  capacity?: number | null;
}

export function routingRuleToForm(rule: RoutingRule | undefined): RoutingRuleFormValues {
  if (!rule) {
    return { name: '', active: true, channels: [], types: [], customer_levels: [], team_id: null, strategy: 'round_robin', capacity: null };
  }
  return {
    name: rule.name,
    active: rule.active,
    channels: [...rule.conditions.channels],
    types: [...rule.conditions.types],
    customer_levels: [...rule.conditions.customer_levels],
    team_id: rule.team_id,
    strategy: rule.strategy,
    capacity: rule.capacity,
  };
}

function cleanList<T extends string>(values: readonly T[] | undefined): T[] {
  return [...new Set((values ?? []).map((v) => v.trim() as T).filter(Boolean))];
}

/**
 * The create (and full update) body. Without agents picked by the rule (`none`) a capacity
 * means nothing, so it is left out; position is the caller's.
 */
export function routingRuleBody(values: RoutingRuleFormValues, position: number): RoutingRuleCreate {
  return {
    name: values.name.trim(),
    active: values.active,
    position,
    conditions: {
      channels: cleanList(values.channels),
      types: cleanList(values.types),
      customer_levels: cleanList(values.customer_levels),
    },
    team_id: values.team_id ?? '',
    strategy: values.strategy,
    capacity: values.strategy === 'none' ? null : (values.capacity ?? null),
  };
}

/** A rule without conditions catches every ticket that reaches it. */
export function catchesAll(rule: RoutingRule): boolean {
  const c = rule.conditions;
  return c.channels.length === 0 && c.types.length === 0 && c.customer_levels.length === 0;
}

/** Rules in the order they are tried: by position, then as the server listed them. */
export function sortRules(rules: readonly RoutingRule[]): RoutingRule[] {
  return rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => a.rule.position - b.rule.position || a.index - b.index)
    .map(({ rule }) => rule);
}

/** The next free position for a new rule (after the last one). */
export function nextRulePosition(rules: readonly RoutingRule[]): number {
  return rules.reduce((max, r) => Math.max(max, r.position), 0) + 1;
}

/**
 * Moves the rule at `from` to `to` and numbers the list 1, 2, 3 …; returns only the rules whose
 * position changes, with their new position (nothing when the order stays).
 */
export function reorderChanges(
  rules: readonly RoutingRule[],
  from: number,
  to: number,
): { rule: RoutingRule; body: RoutingRuleUpdate }[] {
  if (from === to || from < 0 || to < 0 || from >= rules.length || to >= rules.length) return [];
  const next = [...rules];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved);
  return next.flatMap((rule, i) => (rule.position === i + 1 ? [] : [{ rule, body: { position: i + 1 } }]));
}
