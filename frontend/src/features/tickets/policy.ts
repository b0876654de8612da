/**
 * The SLA policy editor's state: targets per priority entered in minutes or hours (working
 * time of the policy's calendar), sent as working minutes.
 */
import { PRIORITIES } from './statuses';
import type { SlaPolicy, SlaPolicyCreate, TicketPriority } from './types';

export type TimeUnit = 'minutes' | 'hours';

export interface Amount {
  value: number | null;
  unit: TimeUnit;
}

export interface TargetDraft {
  first: Amount;
  resolution: Amount;
}

export interface PolicyDraft {
  name: string;
  position: number;
  active: boolean;
  customer_levels: string[];
  calendar_id: string | null;
  warning_minutes: number;
  targets: Record<TicketPriority, TargetDraft>;
}

/** Whole hours read as hours; anything else stays in minutes. */
export function amountOf(minutes: number | null | undefined): Amount {
  if (minutes === null || minutes === undefined) return { value: null, unit: 'hours' };
  return minutes % 60 === 0 ? { value: minutes / 60, unit: 'hours' } : { value: minutes, unit: 'minutes' };
}

/** Working minutes of an amount (hours may be fractional: 1.5 h → 90); null when empty. */
export function minutesOfAmount(amount: Amount): number | null {
  if (amount.value === null || !Number.isFinite(amount.value) || amount.value <= 0) return null;
  return Math.max(1, Math.round(amount.unit === 'hours' ? amount.value * 60 : amount.value));
}

/** A typical starting point: urgent answered within 30 minutes, low within a day. */
const SUGGESTED: Record<TicketPriority, [number, number]> = {
  urgent: [30, 4 * 60],
  high: [60, 8 * 60],
  normal: [4 * 60, 24 * 60],
  low: [8 * 60, 40 * 60],
};

export function policyDraft(policy?: SlaPolicy): PolicyDraft {
  const targets = Object.fromEntries(
    PRIORITIES.map((p) => {
      if (!policy) return [p, { first: amountOf(SUGGESTED[p][0]), resolution: amountOf(SUGGESTED[p][1]) }];
      const target = policy.targets[p];
      return [p, { first: amountOf(target?.first_response_minutes), resolution: amountOf(target?.resolution_minutes) }];
    }),
  ) as Record<TicketPriority, TargetDraft>;
  return {
    name: policy?.name ?? '',
    position: policy?.position ?? 0,
    active: policy?.active ?? true,
    customer_levels: policy?.customer_levels ?? [],
    calendar_id: policy?.calendar_id ?? null,
    warning_minutes: policy?.warning_minutes ?? 30,
    targets,
  };
}

/** The create/update body; a priority with neither target is left out (it has no SLA). */
export function policyPayload(draft: PolicyDraft): SlaPolicyCreate {
  const targets: SlaPolicyCreate['targets'] = {};
  for (const p of PRIORITIES) {
    const first = minutesOfAmount(draft.targets[p].first);
    const resolution = minutesOfAmount(draft.targets[p].resolution);
    if (first !== null || resolution !== null) {
      targets[p] = { first_response_minutes: first, resolution_minutes: resolution };
    }
  }
  return {
    name: draft.name.trim(),
    position: draft.position,
    active: draft.active,
    customer_levels: [...new Set(draft.customer_levels.map((l) => l.trim()).filter(Boolean))],
    calendar_id: draft.calendar_id,
    warning_minutes: draft.warning_minutes,
    targets,
  };
}
