import { Select } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';

import { useRfmTiers } from './api';
import { tierName } from './options';

/** Picks one RFM tier (the customer list's filter); the tiers come from the RFM settings. */
export function RfmTierSelect({
  value,
  onChange,
  style,
}: {
  value: string | undefined;
  onChange: (tier: string | undefined) => void;
  style?: CSSProperties;
}) {
  const { t, i18n } = useTranslation();
  const tiers = useRfmTiers();
  return (
    <Select
      allowClear
      value={value}
      onChange={(next: string | undefined) => onChange(next ?? undefined)}
      placeholder={t('customerValue.tierFilter')}
      aria-label={t('customerValue.tierFilter')}
      options={tiers.map((tier) => ({ value: tier.key, label: tierName(tier.key, tiers, i18n.language) }))}
      style={style}
      data-testid="rfm-tier-filter"
    />
  );
}
