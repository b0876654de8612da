/** Rates and multipliers come as four-decimal strings ("3.5000"): shown without the noise. */
export function formatRate(value: string): string {
  if (!value.includes('.')) return value;
  const trimmed = value.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '' || trimmed === '-' ? '0' : trimmed;
}
