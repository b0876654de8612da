import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { LedgerEntry } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { translateIfExists } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { useUserDirectory } from '../users';
import { useLedger } from './api';

const KIND_COLORS: Record<string, string> = {
  create: 'green',
  transfer: 'blue',
  handover: 'purple',
  dispute: 'magenta',
  merge: 'cyan',
  claim: 'gold',
  assign: 'geekblue',
  release: 'orange',
  reclaim: 'volcano',
};

/** Every owner the customer has had: who moved it, from whom, to whom, why. */
export function OwnershipLedger({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const users = useUserDirectory();
  const ledger = useLedger(customerId);
  const name = (id: string | null, empty: string) =>
    id ? (users.byId.get(id)?.name ?? '…') : <Typography.Text type="secondary">{empty}</Typography.Text>;
  return (
    <>
      {ledger.isError && <ProblemAlert error={ledger.error} onRetry={() => void ledger.refetch()} />}
      <Table<LedgerEntry>
        rowKey="id"
        size="small"
        loading={ledger.isPending}
        dataSource={ledger.data ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        data-testid="ledger-table"
        columns={[
          { title: t('ledger.time'), dataIndex: 'occurred_at', width: 150, render: (v: string) => formatDateTime(v) },
          {
            title: t('ledger.kind'),
            dataIndex: 'kind',
            width: 100,
            render: (kind: string) => (
              <Tag color={KIND_COLORS[kind] ?? 'default'} bordered={false}>
                {translateIfExists(`ledger.kinds.${kind}`) ?? kind}
              </Tag>
            ),
          },
          { title: t('ledger.from'), dataIndex: 'from_user_id', render: (id: string | null) => name(id, t('ledger.nobody')) },
          { title: t('ledger.to'), dataIndex: 'to_user_id', render: (id: string | null) => name(id, t('ledger.pool')) },
          { title: t('ledger.actor'), dataIndex: 'actor_id', render: (id: string | null) => name(id, t('audit.system')) },
          { title: t('ledger.reason'), dataIndex: 'reason', ellipsis: true },
        ]}
      />
    </>
  );
}
