/** Whole days, hours and minutes in a span of seconds (what "time in stage" shows). */
export function durationParts(seconds: number): { days: number; hours: number; minutes: number } {
  const total = Math.max(0, Math.floor(seconds / 60));
  return { days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 };
}

/**
 * The two largest units that matter: "3 d 4 h", "5 h 12 min", "8 min", "< 1 min" (units from
 * the catalogue, so 天/小时/分钟 in Chinese).
 */
export function formatDuration(
  seconds: number,
  unit: (name: 'days' | 'hours' | 'minutes' | 'lessThanMinute', count: number) => string,
): string {
  const { days, hours, minutes } = durationParts(seconds);
  if (days > 0) return hours > 0 ? `${unit('days', days)} ${unit('hours', hours)}` : unit('days', days);
  if (hours > 0) return minutes > 0 ? `${unit('hours', hours)} ${unit('minutes', minutes)}` : unit('hours', hours);
  if (minutes > 0) return unit('minutes', minutes);
  return unit('lessThanMinute', 0);
}
