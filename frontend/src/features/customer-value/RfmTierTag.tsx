import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import { useRfmTiers } from './api';
import { tierColor, tierName } from './options';

/** A customer's RFM tier as a coloured tag, named in the UI language. */
export function RfmTierTag({ tier }: { tier: string | null | undefined }) {
  const { i18n } = useTranslation();
  const tiers = useRfmTiers();
  if (!tier) return null;
  return (
    <Tag color={tierColor(tier, tiers)} data-testid="rfm-tier-tag">
      {tierName(tier, tiers, i18n.language)}
    </Tag>
  );
}
