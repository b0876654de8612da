import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import type { ContractStatus } from '../../api/types';
import { contractStatusColor } from './statuses';

export function ContractStatusTag({ status }: { status: ContractStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={contractStatusColor(status)} bordered={false} data-testid="contract-status">
      {t(`contracts.statuses.${status}`)}
    </Tag>
  );
}
