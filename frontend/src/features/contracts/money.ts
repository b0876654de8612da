/**
 * Money of contracts, receivables and orders. The API sends amounts as decimal strings
 * ("12000.50"); every sum or difference the screens show is worked out in integer cents
 * (BigInt), never in floating point, and formatted back with the currency beside it.
 */

const SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', EUR: '€', GBP: '£', JPY: '¥', HKD: 'HK$' };

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** "1234.5" → 123450n; null for anything that is not a plain decimal. Rounds half up past cents. */
export function toCents(value: string | number | bigint | null | undefined): bigint | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value * 100n;
  const text = typeof value === 'number' ? (Number.isFinite(value) ? value.toFixed(2) : '') : value.trim().replace(/,/g, '');
  const match = DECIMAL.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const [, sign, whole, fraction = ''] = match;
  let cents = BigInt(whole || '0') * 100n + BigInt(`${fraction}00`.slice(0, 2));
  if (fraction.length > 2 && Number(fraction[2]) >= 5) cents += 1n;
  return sign === '-' ? -cents : cents;
}

/** 123450n → "1234.50" (the API's own form, fit for request bodies). */
export function fromCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = abs / 100n;
  const rest = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole.toString()}.${rest}`;
}

/** The amount normalised to two decimals ("1200" → "1200.00"); null when not a decimal. */
export function normalizeAmount(value: string | number | null | undefined): string | null {
  const cents = toCents(value);
  return cents === null ? null : fromCents(cents);
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "12000.5", CNY → "¥12,000.50"; currencies without a symbol keep their code ("SGD 1,000.00"). */
export function formatMoney(amount: string | bigint | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const cents = typeof amount === 'bigint' ? amount : toCents(amount);
  if (cents === null) return String(amount);
  const text = fromCents(cents);
  const negative = text.startsWith('-');
  const [whole, fraction] = (negative ? text.slice(1) : text).split('.');
  const symbol = currency ? (SYMBOLS[currency] ?? `${currency} `) : '';
  return `${negative ? '-' : ''}${symbol}${group(whole)}.${fraction}`;
}

/** Sum of decimal strings, as a decimal string (blank or invalid entries count as zero). */
export function sumAmounts(values: readonly (string | null | undefined)[]): string {
  return fromCents(values.reduce<bigint>((acc, value) => acc + (toCents(value) ?? 0n), 0n));
}

/** a − b as a decimal string. */
export function subtractAmounts(a: string | null | undefined, b: string | null | undefined): string {
  return fromCents((toCents(a) ?? 0n) - (toCents(b) ?? 0n));
}

/** −1, 0 or 1 as a is less than, equal to or more than b. */
export function compareAmounts(a: string | null | undefined, b: string | null | undefined): -1 | 0 | 1 {
  const d = (toCents(a) ?? 0n) - (toCents(b) ?? 0n);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function isZero(amount: string | null | undefined): boolean {
  return (toCents(amount) ?? 0n) === 0n;
}

/** part ÷ whole as a percentage 0–100 with one decimal, for bar widths and progress (display only). */
export function percentOf(part: string | null | undefined, whole: string | null | undefined): number {
  const w = toCents(whole) ?? 0n;
  if (w <= 0n) return 0;
  const p = toCents(part) ?? 0n;
  const permille = (p * 1000n + w / 2n) / w;
  const clamped = permille < 0n ? 0n : permille > 1000n ? 1000n : permille;
  return Number(clamped) / 10;
}

/**
 * `total` split into `count` installments to the cent: equal shares, the cents that do not
 * divide evenly go to the last one, so the parts always add up to the total exactly.
 */
export function splitEvenly(total: string, count: number): string[] {
  const cents = toCents(total) ?? 0n;
  if (count < 1) return [];
  const n = BigInt(count);
  const share = cents / n;
  const parts = Array.from({ length: count }, () => share);
  parts[count - 1] += cents - share * n;
  return parts.map(fromCents);
}
