/**
 * The RFM settings form: what it edits, the request body it sends, and where the API's
 * field errors (`body.tiers.1.min_score`) land on the form.
 */
import type { RfmSettings, RfmSettingsIn } from './api';

export type SettingsValues = RfmSettingsIn;

/** The editable part of stored settings (without the derived range and the last run). */
export function editable(settings: RfmSettings): SettingsValues {
  return {
    sources: [...settings.sources],
    window_days: settings.window_days,
    currency: settings.currency,
    recency_max_days: [...settings.recency_max_days],
    frequency_min: [...settings.frequency_min],
    monetary_min: settings.monetary_min.map(String),
    weights: { ...settings.weights },
    tiers: settings.tiers.map((t) => ({ ...t })),
    churn_gap_factor: String(settings.churn_gap_factor),
    churn_no_follow_up_days: settings.churn_no_follow_up_days,
  };
}

/** The request body from the form's values; null while a required value is missing. */
export function toBody(values: Partial<SettingsValues> | undefined): RfmSettingsIn | null {
  if (!values) return null;
  const { sources, window_days, currency, recency_max_days, frequency_min, monetary_min, weights, tiers } = values;
  const numbers = [window_days, values.churn_no_follow_up_days, weights?.r, weights?.f, weights?.m];
  if (!sources?.length || !currency || !recency_max_days || !frequency_min || !monetary_min || !weights || !tiers?.length) {
    return null;
  }
  if (numbers.some((n) => n === null || n === undefined)) return null;
  const lists = [...recency_max_days, ...frequency_min, ...monetary_min];
  if (lists.some((v) => v === null || v === undefined || v === '')) return null;
  if (values.churn_gap_factor === null || values.churn_gap_factor === undefined || values.churn_gap_factor === '') return null;
  return {
    sources: [...sources],
    window_days: window_days!,
    currency,
    recency_max_days: recency_max_days.map(Number),
    frequency_min: frequency_min.map(Number),
    monetary_min: monetary_min.map((v) => String(v)),
    weights: { r: Number(weights.r), f: Number(weights.f), m: Number(weights.m) },
    tiers: tiers.map((t) => ({
      key: t.key,
      name_zh: t.name_zh,
      name_en: t.name_en,
      min_score: Number(t.min_score),
      max_score: Number(t.max_score),
    })),
    churn_gap_factor: String(values.churn_gap_factor),
    churn_no_follow_up_days: values.churn_no_follow_up_days!,
  };
}

/** The lowest and highest possible total score under these weights (all 1s, all 5s). */
export function scoreRange(weights: Partial<SettingsValues['weights']> | undefined): [number, number] {
  const sum = Number(weights?.r ?? 0) + Number(weights?.f ?? 0) + Number(weights?.m ?? 0);
  return [sum, 5 * sum];
}

/** `body.tiers.1.min_score` (or `body.settings.…` from the preview) → ['tiers', 1, 'min_score']. */
export function formPath(field: string): (string | number)[] | null {
  const parts = field.split('.');
  if (parts[0] !== 'body') return null;
  const rest = parts[1] === 'settings' ? parts.slice(2) : parts.slice(1);
  if (rest.length === 0) return null;
  return rest.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** The API's (English) messages about RFM settings, by the i18n key (under
 * `customerValue.settings.errors`) that translates them. */
export type SettingsErrorKey = 'increasing' | 'overlap' | 'gap' | 'lowest' | 'highest' | 'duplicateKey' | 'minAboveMax' | 'sourceTwice';

/** What the messages name: a tier, a range of scores, a score. */
export interface MessageValues {
  tier?: string;
  range?: string;
  score?: string;
}

const MESSAGES: [RegExp, SettingsErrorKey][] = [
  [/^thresholds must be strictly increasing$/, 'increasing'],
  [/^overlaps tier '(?<tier>[^']+)' \((?<range>[^)]+)\)$/, 'overlap'],
  [/^leaves scores (?<range>\S+) without a tier$/, 'gap'],
  [/^scores from (?<score>\d+) need a tier/, 'lowest'],
  [/^scores up to (?<score>\d+) need a tier/, 'highest'],
  [/^duplicate tier key$/, 'duplicateKey'],
  [/^above max_score$/, 'minAboveMax'],
  [/^names a source twice$/, 'sourceTwice'],
];

/** The i18n key and values of a known message; null for messages shown as sent. */
export function knownMessage(message: string): { key: SettingsErrorKey; values: MessageValues } | null {
  for (const [pattern, key] of MESSAGES) {
    const match = pattern.exec(message);
    if (match) return { key, values: { ...(match.groups ?? {}) } };
  }
  return null;
}
