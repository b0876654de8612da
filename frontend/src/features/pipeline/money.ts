/**
 * Deal money. The API sends amounts as decimal strings ("12000.50") with a currency beside
 * them; every sum the screens show (line totals while typing, optimistic column totals) is
 * worked out on scaled integers (BigInt), never in floating point. The server's figures are
 * authoritative: these only fill the gap until its answer arrives.
 */

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * A decimal string as an integer scaled by 10^`scale`, rounded half up (away from zero) past
 * that; null when it is not a plain decimal. `toScaled("12.345", 2)` → 1235n.
 */
export function toScaled(value: string | number | null | undefined, scale: number): bigint | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim().replace(/,/g, '');
  if (/e/i.test(text)) return null;
  const match = DECIMAL.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const [, sign, whole, fraction = ''] = match;
  const padded = fraction.padEnd(scale + 1, '0');
  let scaled = BigInt(whole || '0') * 10n ** BigInt(scale) + BigInt(padded.slice(0, scale) || '0');
  if (Number(padded[scale]) >= 5) scaled += 1n;
  return sign === '-' ? -scaled : scaled;
}

/** A scaled integer back to its decimal string: `fromScaled(1235n, 2)` → "12.35". */
export function fromScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const unit = 10n ** BigInt(scale);
  const whole = (abs / unit).toString();
  const fraction = scale > 0 ? `.${(abs % unit).toString().padStart(scale, '0')}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

export function toCents(value: string | number | null | undefined): bigint | null {
  return toScaled(value, 2);
}

export function fromCents(cents: bigint): string {
  return fromScaled(cents, 2);
}

/** a ÷ b rounded half up (away from zero); b > 0. */
function divRound(a: bigint, b: bigint): bigint {
  const negative = a < 0n;
  const abs = negative ? -a : a;
  const q = (abs * 2n + b) / (2n * b);
  return negative ? -q : q;
}

/**
 * quantity × unit price × (1 − discount %), half up to the cent: the server's rule for a line
 * total. Null while an input is missing or not a number.
 */
export function lineTotal(
  quantity: string | number | null | undefined,
  unitPrice: string | number | null | undefined,
  discount: string | number | null | undefined,
): string | null {
  const q = toScaled(quantity, 4); // 10^4
  const p = toScaled(unitPrice, 2); // 10^2
  const d = toScaled(discount ?? '0', 2) ?? 0n; // percent × 10^2
  if (q === null || p === null) return null;
  // q·p·(100% − d) carries 10^4 · 10^2 · 10^2 and a further 100 for the percent: 10^10 in all.
  const raw = q * p * (10_000n - d);
  return fromCents(divRound(raw, 10n ** 8n));
}

/** Sum of decimal strings to the cent (blank or invalid entries count as zero). */
export function sumAmounts(values: readonly (string | null | undefined)[]): string {
  return fromCents(values.reduce<bigint>((acc, value) => acc + (toCents(value) ?? 0n), 0n));
}

/** amount × probability %, half up to the cent (the weighted value of one deal). */
export function weighted(amount: string, probability: number): string {
  const cents = toCents(amount) ?? 0n;
  return fromCents(divRound(cents * BigInt(Math.round(probability)), 100n));
}

/** a + b and a − b on decimal strings, to the cent. */
export function addAmounts(a: string, b: string): string {
  return fromCents((toCents(a) ?? 0n) + (toCents(b) ?? 0n));
}

export function subtractAmounts(a: string, b: string): string {
  return fromCents((toCents(a) ?? 0n) - (toCents(b) ?? 0n));
}

function group(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

interface CurrencyStyle {
  symbol: string;
  before: boolean;
  space: boolean;
}

const styleCache = new Map<string, CurrencyStyle>();

/** How `locale` writes `currency`'s symbol (CN¥ / ¥ / US$ / $), learned from Intl once. */
function currencyStyle(currency: string, locale: string): CurrencyStyle {
  const key = `${locale}|${currency}`;
  const cached = styleCache.get(key);
  if (cached) return cached;
  let style: CurrencyStyle = { symbol: currency, before: true, space: true };
  try {
    const parts = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'symbol' }).formatToParts(1);
    const at = parts.findIndex((p) => p.type === 'currency');
    const first = parts.findIndex((p) => p.type === 'integer');
    if (at >= 0) {
      const symbol = parts[at].value;
      const before = at < first;
      const between = before ? parts.slice(at + 1, first) : parts.slice(first + 1, at);
      const space = between.some((p) => p.type === 'literal' && p.value.trim() === '');
      style = { symbol, before, space: space || /^[A-Z]{3}$/.test(symbol) };
    }
  } catch {
    // An unknown code: shown as the code itself.
  }
  styleCache.set(key, style);
  return style;
}

/**
 * "1234567.5", CNY → "¥1,234,567.50" (zh-CN) / "CN¥1,234,567.50" (en). The digits come from the
 * string itself, never through a float, so 16-digit amounts stay exact.
 */
export function formatMoney(
  amount: string | null | undefined,
  currency: string | null | undefined,
  locale = 'zh-CN',
): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const cents = toCents(amount);
  if (cents === null) return String(amount);
  const text = fromCents(cents);
  const negative = text.startsWith('-');
  const [whole, fraction] = (negative ? text.slice(1) : text).split('.');
  const digits = `${group(whole, ',')}.${fraction}`;
  if (!currency) return `${negative ? '-' : ''}${digits}`;
  const style = currencyStyle(currency, locale);
  const gap = style.space ? '\u00a0' : '';
  const body = style.before ? `${style.symbol}${gap}${digits}` : `${digits}${gap}${style.symbol}`;
  return `${negative ? '-' : ''}${body}`;
}

/** Currencies offered in the deal and product forms (any ISO 4217 code is accepted by the API). */
export const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'GBP', 'SGD'] as const;
