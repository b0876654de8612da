import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import { CAMPAIGN_STATUSES, type CampaignStatus } from './api';

const COLORS: Record<CampaignStatus, string> = {
  planned: 'blue',
  active: 'green',
  completed: 'default',
  cancelled: 'red',
};

export function CampaignStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  if (!(CAMPAIGN_STATUSES as readonly string[]).includes(status)) return <Tag bordered={false}>{status}</Tag>;
  const known = status as CampaignStatus;
  return (
    <Tag color={COLORS[known]} bordered={false}>
      {t(`campaigns.statuses.${known}`)}
    </Tag>
  );
}
