import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import { leadStatusColor } from './statuses';
import type { LeadStatus } from './types';

export function LeadStatusTag({ status }: { status: LeadStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={leadStatusColor(status)} bordered={false} data-testid="lead-status">
      {t(`leads.statuses.${status}`)}
    </Tag>
  );
}
