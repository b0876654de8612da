/** Invoice arithmetic shown before the server answers: tax inside a tax-inclusive amount. */
import { fromCents, toCents } from '../contracts/money';

export const TAX_RATES = ['0.13', '0.09', '0.06', '0.03', '0.01', '0'] as const;

/** "0.13" → 1300 (ten-thousandths); null when not a rate from 0 up to (not including) 1. */
export function rateBasisPoints(rate: string | null | undefined): bigint | null {
  if (rate === null || rate === undefined) return null;
  const match = /^(0|1)?(?:\.(\d{0,4}))?$/.exec(rate.trim());
  if (!match || rate.trim() === '' || rate.trim() === '.') return null;
  const whole = BigInt(match[1] ?? '0');
  const bp = whole * 10000n + BigInt(`${match[2] ?? ''}0000`.slice(0, 4));
  return bp < 10000n ? bp : null;
}

/** amount × rate ÷ (1 + rate) to the cent, half up, as the server computes it. */
export function taxIncluded(amount: string | null | undefined, rate: string | null | undefined): string | null {
  const cents = toCents(amount);
  const bp = rateBasisPoints(rate);
  if (cents === null || bp === null || cents < 0n) return null;
  const numerator = cents * bp * 2n;
  const denominator = (10000n + bp) * 2n;
  // (2n·x + d) / 2d rounds x/d half up for non-negative x.
  return fromCents((numerator + denominator / 2n) / denominator);
}

/** "0.13" → "13%", "0.055" → "5.5%". */
export function formatRate(rate: string | number): string {
  const bp = rateBasisPoints(String(rate));
  if (bp === null) return String(rate);
  const whole = bp / 100n;
  const rest = (bp % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return `${whole.toString()}${rest ? `.${rest}` : ''}%`;
}
