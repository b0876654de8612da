/** Ticket settings between the API and the admin form: only what changed is sent. */
import { resources } from '../../i18n';
import type { TicketSettings, TicketSettingsUpdate } from './types';

/** The types the product ships with; they have a label in every language. */
export const BUILTIN_TYPES = ['question', 'complaint', 'repair', 'return', 'other'] as const;

export interface TicketSettingsFormValues {
  number_prefix: string;
  types: { name?: string }[];
  reopen_days: number | null;
  csat_days: number | null;
  auto_close_days: number | null;
}

export function settingsToForm(settings: TicketSettings): TicketSettingsFormValues {
  return {
    number_prefix: settings.number_prefix,
    types: settings.types.map((name) => ({ name })),
    reopen_days: settings.reopen_days,
    csat_days: settings.csat_days,
    auto_close_days: settings.auto_close_days,
  };
}

/** The type names of the form, trimmed, blanks and repeats dropped, in the order given. */
export function formTypes(values: TicketSettingsFormValues): string[] {
  return [...new Set((values.types ?? []).map((row) => (row?.name ?? '').trim()).filter(Boolean))];
}

/** The PATCH body: the fields that differ from the saved settings (empty: nothing to save). */
export function settingsPatch(saved: TicketSettings, values: TicketSettingsFormValues): TicketSettingsUpdate {
  const body: TicketSettingsUpdate = {};
  const prefix = values.number_prefix.trim();
  if (prefix !== saved.number_prefix) body.number_prefix = prefix;
  const types = formTypes(values);
  if (types.join('\n') !== saved.types.join('\n')) body.types = types;
  for (const key of ['reopen_days', 'csat_days', 'auto_close_days'] as const) {
    const value = values[key];
    if (value !== null && value !== undefined && value !== saved[key]) body[key] = value;
  }
  return body;
}

/** How a type reads in each language: the catalogue's label for built-in ones, else its name. */
export function typeLabels(name: string): { zh: string; en: string; builtin: boolean } {
  const zh = (resources['zh-CN'].translation.tickets.types as Record<string, string>)[name];
  const en = (resources.en.translation.tickets.types as Record<string, string>)[name];
  return zh && en ? { zh, en, builtin: true } : { zh: name, en: name, builtin: false };
}

/** An example ticket number with this prefix. */
export function sampleNumber(prefix: string): string {
  return `${prefix.trim() || 'GD'}-000123`;
}
