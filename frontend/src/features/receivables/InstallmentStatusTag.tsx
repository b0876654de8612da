import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import type { InstallmentStatus } from '../../api/types';

const COLORS: Record<InstallmentStatus, string> = {
  pending: 'default',
  partially_paid: 'processing',
  paid: 'success',
  overdue: 'error',
  void: 'default',
};

/** 待回款 / 部分回款 / 已回款 / 逾期 (with its days) / 作废 — derived by the server on every read. */
export function InstallmentStatusTag({ status, daysOverdue = 0 }: { status: InstallmentStatus; daysOverdue?: number }) {
  const { t } = useTranslation();
  return (
    <Tag
      color={COLORS[status]}
      bordered={false}
      style={status === 'void' ? { textDecoration: 'line-through' } : undefined}
      data-testid="installment-status"
      data-status={status}
    >
      {status === 'overdue' && daysOverdue > 0
        ? t('receivables.daysOverdue', { count: daysOverdue })
        : t(`receivables.statuses.${status}`)}
    </Tag>
  );
}
