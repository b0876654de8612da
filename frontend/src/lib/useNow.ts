import { useEffect, useState } from 'react';

/** The current time in ms, refreshed every `interval` ms (for "overdue" marks that age). */
export function useNow(interval = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), interval);
    return () => clearInterval(timer);
  }, [interval]);
  return now;
}
