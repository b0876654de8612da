import type { Language } from '../../i18n';

/** The path of the public satisfaction page (served by the SPA, no login). */
export function csatPath(token: string): string {
  return `/public/csat/${encodeURIComponent(token)}`;
}

export function csatUrl(origin: string, token: string): string {
  return `${origin.replace(/\/+$/, '')}${csatPath(token)}`;
}

/**
 * The language a customer's survey opens in: the one they picked here before, else the
 * browser's first language we have (English for any en-*, Chinese otherwise).
 */
export function surveyLanguage(stored: string | null, browser: readonly string[]): Language {
  if (stored === 'en' || stored === 'zh-CN') return stored;
  for (const tag of browser) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export const SCORES = [1, 2, 3, 4, 5] as const;
export type Score = (typeof SCORES)[number];

/** Per-score counts ('1'…'5') as rows with their share of all responses, highest score first. */
export function distributionRows(distribution: Record<string, number>): { score: Score; count: number; percent: number }[] {
  const total = SCORES.reduce((sum, s) => sum + (distribution[String(s)] ?? 0), 0);
  return [...SCORES].reverse().map((score) => {
    const count = distribution[String(score)] ?? 0;
    return { score, count, percent: total === 0 ? 0 : Math.round((count / total) * 1000) / 10 };
  });
}
