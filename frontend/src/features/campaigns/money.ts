/** Campaign amounts: decimal strings from the API, shown with their currency. */

const SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', EUR: '€', HKD: 'HK$', JPY: '¥', GBP: '£' };

/** "12000.5" CNY → "¥12,000.50"; other currencies keep their code ("SGD 1,000.00"). */
export function formatMoney(amount: string | null | undefined, currency: string): string | null {
  if (amount === null || amount === undefined || amount === '') return null;
  const [whole, fraction = ''] = amount.split('.');
  const negative = whole.startsWith('-');
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = `${fraction}00`.slice(0, 2);
  const prefix = SYMBOLS[currency] ?? `${currency} `;
  return `${negative ? '-' : ''}${prefix}${grouped}.${cents}`;
}

/** Cost per lead (actual cost ÷ leads) to the cent, or null when either is missing. */
export function costPerLead(actualCost: string | null, leads: number): string | null {
  if (!actualCost || leads <= 0) return null;
  // In integer cents: no float rounding errors.
  const [whole, fraction = ''] = actualCost.split('.');
  const cents = BigInt(whole) * 100n + BigInt(`${fraction}00`.slice(0, 2));
  const per = (cents * 2n + BigInt(leads)) / (2n * BigInt(leads)); // rounded half up
  const text = per.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/** Converted ÷ leads as a whole percentage. */
export function conversionRate(converted: number, leads: number): number {
  return leads > 0 ? Math.round((converted / leads) * 100) : 0;
}
