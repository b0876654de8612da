import { useTranslation } from 'react-i18next';

import { durationParts } from './sla';

/** "3h 5m", "2天3小时"… in the UI language. */
export function useDurationText() {
  const { t } = useTranslation();
  return (ms: number) => {
    const p = durationParts(ms);
    return t(`tickets.duration.${p.unit}`, { d: p.d, h: p.h, m: p.m });
  };
}
