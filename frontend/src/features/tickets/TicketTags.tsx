import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import { PRIORITY_COLORS, STATUS_COLORS } from './statuses';
import type { TicketPriority, TicketStatus } from './types';

export function TicketStatusTag({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} bordered={false} data-testid="ticket-status" data-status={status}>
      {t(`tickets.statuses.${status}`)}
    </Tag>
  );
}

export function PriorityTag({ priority }: { priority: TicketPriority }) {
  const { t } = useTranslation();
  return (
    <Tag color={PRIORITY_COLORS[priority]} data-testid="ticket-priority">
      {t(`tickets.priorities.${priority}`)}
    </Tag>
  );
}
