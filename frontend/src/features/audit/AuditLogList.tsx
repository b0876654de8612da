import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Flex, Input, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { AuditEntry } from '../../api/types';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { translateIfExists } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { useAuditLog, type AuditFilters } from './api';

const ACTION_COLOR: Record<string, string> = {
  created: 'green',
  updated: 'blue',
  deleted: 'red',
  restored: 'cyan',
  activated: 'green',
  deactivated: 'orange',
  revoked: 'orange',
};

function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '∅';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The contract types `changes` loosely; each field is expected to be `{before, after}`. */
function asChange(value: unknown): { before: unknown; after: unknown } {
  if (value && typeof value === 'object' && ('before' in value || 'after' in value)) {
    const { before, after } = value as { before?: unknown; after?: unknown };
    return { before, after };
  }
  return { before: undefined, after: value };
}

function Changes({ changes }: { changes: AuditEntry['changes'] }) {
  const { t } = useTranslation();
  const entries = Object.entries(changes ?? {}).map(([field, value]) => [field, asChange(value)] as const);
  if (entries.length === 0) return <Typography.Text type="secondary">{t('audit.noChanges')}</Typography.Text>;
  return (
    <Flex vertical gap={2}>
      {entries.map(([field, change]) => (
        <Typography.Text key={field} style={{ fontSize: 12 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {field}:
          </Typography.Text>{' '}
          <Typography.Text delete type="secondary" style={{ fontSize: 12 }}>
            {formatValue(change.before)}
          </Typography.Text>
          {' → '}
          {formatValue(change.after)}
        </Typography.Text>
      ))}
    </Flex>
  );
}

export default function AuditLogList() {
  const { t } = useTranslation();
  const [entity, setEntity] = useState('');
  const [entityId, setEntityId] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);

  const filters: AuditFilters = {
    entity: entity || undefined,
    entity_id: entityId || undefined,
    since: range?.[0]?.startOf('day').toISOString(),
    until: range?.[1]?.endOf('day').toISOString(),
  };
  const list = useAuditLog(filters);
  const entries = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.description')} />
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('audit.filterEntity')}
            onSearch={(value) => setEntity(value.trim())}
            style={{ width: 200 }}
          />
          <Input.Search
            allowClear
            placeholder={t('audit.filterEntityId')}
            onSearch={(value) => setEntityId(value.trim())}
            style={{ width: 280 }}
          />
          <DatePicker.RangePicker value={range} onChange={(value) => setRange(value)} />
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />
        </Flex>
        {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
        <Table<AuditEntry>
          rowKey="id"
          dataSource={entries}
          loading={list.isPending}
          pagination={false}
          scroll={{ x: 1000 }}
          size="middle"
          columns={[
            {
              title: t('audit.time'),
              dataIndex: 'occurred_at',
              width: 160,
              render: (value: string) => formatDateTime(value),
            },
            {
              title: t('audit.actor'),
              dataIndex: 'actor_name',
              width: 160,
              render: (name: string | null, entry) => {
                if (!name) return <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>;
                return entry.actor_kind === 'api_key' ? (
                  <span>
                    {name}{' '}
                    <Tag bordered={false} color="purple">
                      {t('audit.actorKinds.api_key')}
                    </Tag>
                  </span>
                ) : (
                  name
                );
              },
            },
            {
              title: t('audit.action'),
              dataIndex: 'action',
              width: 110,
              render: (action: string) => (
                <Tag color={ACTION_COLOR[action]} bordered={false}>
                  {translateIfExists(`audit.actions.${action}`) ?? action}
                </Tag>
              ),
            },
            {
              title: t('audit.entity'),
              dataIndex: 'entity',
              width: 120,
              render: (value: string) => translateIfExists(`audit.entities.${value}`) ?? value,
            },
            {
              title: t('audit.entityId'),
              dataIndex: 'entity_id',
              width: 170,
              render: (id: string) => (
                <Typography.Text code copyable={{ text: id }} ellipsis={{ tooltip: id }} style={{ maxWidth: 150 }}>
                  {id}
                </Typography.Text>
              ),
            },
            {
              title: t('audit.changes'),
              dataIndex: 'changes',
              render: (changes: AuditEntry['changes']) => <Changes changes={changes} />,
            },
          ]}
        />
        <LoadMore
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
          shown={entries.length}
        />
      </Card>
    </>
  );
}
