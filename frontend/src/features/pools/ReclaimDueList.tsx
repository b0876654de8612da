import { Card, Flex, Segmented, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { Pool, ReclaimDue } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime, fromNow } from '../../lib/dates';
import { useNow } from '../../lib/useNow';
import { useSession } from '../auth';
import { useUserDirectory } from '../users';
import { useReclaimDue } from './api';

const WINDOWS = [3, 7, 14, 30] as const;

/**
 * 即将回收: customers in your scope that return to a pool soon unless someone follows up.
 * A rep sees their own; a manager their team's, with the owner beside each.
 */
export function ReclaimDueList({ pools }: { pools: readonly Pool[] }) {
  const { t } = useTranslation();
  const me = useSession();
  const users = useUserDirectory();
  const now = useNow();
  const [days, setDays] = useState<number>(7);
  const due = useReclaimDue(days);
  const poolName = (id: string | null) => pools.find((p) => p.id === id)?.name ?? '—';
  const othersToo = (due.data ?? []).some((r) => r.owner_id !== me.user.id);

  return (
    <Card
      size="small"
      title={t('pools.due.title')}
      extra={
        <Flex align="center" gap={8}>
          <Typography.Text type="secondary">{t('pools.due.within')}</Typography.Text>
          <Segmented<number>
            size="small"
            value={days}
            onChange={setDays}
            options={WINDOWS.map((d) => ({ value: d, label: t('pools.due.days', { n: d }) }))}
          />
        </Flex>
      }
      data-testid="reclaim-due"
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('pools.due.help')}
      </Typography.Paragraph>
      {due.isError && <ProblemAlert error={due.error} onRetry={() => void due.refetch()} />}
      <Table<ReclaimDue>
        rowKey="customer_id"
        size="middle"
        loading={due.isPending}
        dataSource={due.data ?? []}
        pagination={false}
        locale={{ emptyText: t('pools.due.empty') }}
        columns={[
          {
            key: 'name',
            title: t('customers.fields.name'),
            dataIndex: 'name',
            render: (name: string, r) => (
              <Link to={`/customers/${r.customer_id}`}>
                <Typography.Text strong style={{ color: 'inherit' }}>
                  {name}
                </Typography.Text>
              </Link>
            ),
          },
          ...(othersToo
            ? [
                {
                  key: 'owner',
                  title: t('customers.fields.owner'),
                  dataIndex: 'owner_id',
                  width: 120,
                  render: (id: string | null) => (id ? (users.byId.get(id)?.name ?? '…') : '—'),
                },
              ]
            : []),
          {
            key: 'pool',
            title: t('pools.due.pool'),
            dataIndex: 'pool_id',
            width: 160,
            render: (id: string | null) => poolName(id),
          },
          {
            key: 'rule',
            title: t('pools.due.rule'),
            width: 150,
            render: (_: unknown, row: ReclaimDue) =>
              t(row.rule === 'no_won_deal' ? 'pools.rules.noWin' : 'pools.rules.reclaim', { n: row.rule_days }),
          },
          {
            key: 'reclaim_at',
            title: t('pools.due.returnsAt'),
            dataIndex: 'reclaim_at',
            width: 170,
            render: (value: string) => {
              const overdue = new Date(value).getTime() <= now;
              return (
                <Flex vertical gap={0}>
                  <Typography.Text type={overdue ? 'danger' : 'warning'}>
                    {overdue ? t('pools.due.overdue') : fromNow(value)}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(value)}
                  </Typography.Text>
                </Flex>
              );
            },
          },
          {
            key: 'hint',
            width: 110,
            render: (_: unknown, r) => (
              <Link to={`/customers/${r.customer_id}`}>
                <Tag color="blue" bordered={false}>
                  {t('pools.due.followUp')}
                </Tag>
              </Link>
            ),
          },
        ]}
      />
    </Card>
  );
}
