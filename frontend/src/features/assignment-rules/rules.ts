/** Assignment rules between the API and the editor, and a lead that a rule would catch. */
import type { CustomField } from '../../api/types';
import { customValuesFromForm, customValuesToForm, type CustomValues } from '../custom-fields/values';
import type { AssignmentRule, AssignmentRuleCreate, PreviewLead, Strategy } from './api';

export interface RuleFormValues {
  name: string;
  active: boolean;
  sources: string[];
  campaign_ids: string[];
  provinces: string[];
  cities: string[];
  /** Custom field conditions: `key` and the value in its form control's shape. */
  custom: { key?: string; value?: unknown }[];
  strategy: Strategy;
  user_ids: string[];
  team_id?: string | null;
  weights: Record<string, number | null>;
  capacity?: number | null;
}

export function ruleToForm(rule: AssignmentRule | undefined, defs: readonly CustomField[]): RuleFormValues {
  if (!rule) {
    return {
      name: '',
      active: true,
      sources: [],
      campaign_ids: [],
      provinces: [],
      cities: [],
      custom: [],
      strategy: 'round_robin',
      user_ids: [],
      team_id: null,
      weights: {},
      capacity: null,
    };
  }
  const c = rule.conditions;
  const customForm = customValuesToForm(defs, c.custom);
  return {
    name: rule.name,
    active: rule.active,
    sources: c.sources ?? [],
    campaign_ids: c.campaign_ids ?? [],
    provinces: c.provinces ?? [],
    cities: c.cities ?? [],
    custom: Object.keys(c.custom ?? {}).map((key) => ({ key, value: key in customForm ? customForm[key] : c.custom?.[key] })),
    strategy: rule.strategy,
    user_ids: rule.user_ids,
    team_id: rule.team_id,
    weights: { ...rule.weights },
    capacity: rule.capacity,
  };
}

function cleanList(values: readonly string[] | undefined): string[] {
  return [...new Set((values ?? []).map((v) => v.trim()).filter(Boolean))];
}

/** The create (and full update) body; position is the caller's. */
export function ruleBody(values: RuleFormValues, defs: readonly CustomField[], position: number): AssignmentRuleCreate {
  const custom: CustomValues = {};
  for (const { key, value } of values.custom ?? []) {
    if (!key) continue;
    const def = defs.find((d) => d.key === key);
    const stored = def ? customValuesFromForm([def], { [key]: value }, { keepNulls: false })[key] : value;
    if (stored !== undefined && stored !== null && stored !== '') custom[key] = stored;
  }
  const team = values.strategy === 'team';
  const users = team ? [] : values.strategy === 'fixed_user' ? values.user_ids.slice(0, 1) : values.user_ids;
  const weights: Record<string, number> = {};
  if (values.strategy === 'weighted') {
    for (const id of users) weights[id] = Math.max(1, Math.round(values.weights?.[id] ?? 1));
  }
  return {
    name: values.name.trim(),
    position,
    active: values.active,
    conditions: {
      sources: cleanList(values.sources),
      campaign_ids: values.campaign_ids ?? [],
      provinces: cleanList(values.provinces),
      cities: cleanList(values.cities),
      custom,
    },
    strategy: values.strategy,
    user_ids: users,
    team_id: team ? (values.team_id ?? null) : null,
    weights,
    capacity: values.capacity ?? null,
  };
}

/** A lead made of each condition's first value: the rule's own conditions all match it. */
export function sampleLeadFor(rule: AssignmentRule): PreviewLead {
  const c = rule.conditions;
  return {
    name: 'preview',
    score: 0,
    source: c.sources?.[0] ?? null,
    campaign_id: c.campaign_ids?.[0] ?? null,
    province: c.provinces?.[0] ?? null,
    city: c.cities?.[0] ?? null,
    custom_fields: Object.keys(c.custom ?? {}).length > 0 ? { ...c.custom } : null,
  };
}

/** Whether the rule has no conditions, so it catches every lead that reaches it. */
export function catchesAll(rule: AssignmentRule): boolean {
  const c = rule.conditions;
  return !c.sources?.length && !c.campaign_ids?.length && !c.provinces?.length && !c.cities?.length && !Object.keys(c.custom ?? {}).length;
}

/** `rules` with the one at `from` moved to `to` (both indexes into the list). */
export function moveRule<T>(rules: readonly T[], from: number, to: number): T[] {
  const next = [...rules];
  if (from < 0 || from >= next.length || to < 0 || to >= next.length || from === to) return next;
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved);
  return next;
}
