import { PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Badge, Button, Card, Flex, Popconfirm, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ApiKey, ApiKeyCreated } from '../../api/types';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime } from '../../lib/dates';
import { problemMessage } from '../../lib/problems';
import { useApiKeys, useRevokeApiKey } from './api';
import { ApiKeyCreatedModal } from './ApiKeyCreatedModal';
import { ApiKeyCreateModal } from './ApiKeyCreateModal';
import { SCOPE_MODULES, scopesToSelection } from './scopes';

/** One tag per module with its strongest access; `*` as a single "all" tag. */
function ScopeTags({ scopes }: { scopes: string[] }) {
  const { t } = useTranslation();
  const selection = scopesToSelection(scopes);
  if (selection.all) return <Tag color="volcano">{t('apiKeys.allScopes')}</Tag>;
  const known = new Set(SCOPE_MODULES.flatMap((m) => [`${m}:read`, `${m}:write`]));
  const unknown = scopes.filter((scope) => !known.has(scope));
  return (
    <Flex gap={4} wrap>
      {SCOPE_MODULES.filter((module) => selection.modules[module]).map((module) => {
        const write = selection.modules[module] === 'write';
        return (
          <Tag
            key={module}
            color={write ? 'blue' : undefined}
            bordered={false}
            style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}
          >
            {t(`modules.${module}`)} · {write ? t('apiKeys.scopeWrite') : t('apiKeys.scopeRead')}
          </Tag>
        );
      })}
      {unknown.map((scope) => (
        <Tag key={scope} bordered={false} style={{ marginInlineEnd: 0 }}>
          {scope}
        </Tag>
      ))}
    </Flex>
  );
}

export default function ApiKeyList() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const list = useApiKeys();
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const keys = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);

  const onRevoke = (key: ApiKey) =>
    revoke.mutate(key.id, {
      onSuccess: () => void message.success(t('apiKeys.revokedDone')),
      onError: (error) => void message.error(problemMessage(error)),
    });

  return (
    <>
      <PageHeader
        title={t('apiKeys.title')}
        description={t('apiKeys.description')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="api-key-create">
            {t('apiKeys.create')}
          </Button>
        }
      />
      <Card>
        {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
        <Table<ApiKey>
          rowKey="id"
          dataSource={keys}
          loading={list.isPending}
          pagination={false}
          scroll={{ x: 1000 }}
          columns={[
            {
              title: t('apiKeys.name'),
              dataIndex: 'name',
              width: 160,
              render: (name: string) => <Typography.Text strong>{name}</Typography.Text>,
            },
            {
              title: t('apiKeys.prefix'),
              dataIndex: 'prefix',
              width: 170,
              // The prefix is the key's only visible part: enough to tell keys apart, never the secret.
              render: (prefix: string) => (
                <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                  {prefix}
                </Typography.Text>
              ),
            },
            {
              title: t('apiKeys.scopes'),
              dataIndex: 'scopes',
              render: (scopes: string[]) => <ScopeTags scopes={scopes} />,
            },
            {
              title: t('apiKeys.createdAt'),
              dataIndex: 'created_at',
              width: 140,
              render: (value: string) => formatDateTime(value),
            },
            {
              title: t('apiKeys.lastUsed'),
              dataIndex: 'last_used_at',
              width: 140,
              render: (value: string | null) =>
                formatDateTime(value) ?? <Typography.Text type="secondary">{t('common.never')}</Typography.Text>,
            },
            {
              title: t('apiKeys.status'),
              dataIndex: 'revoked_at',
              width: 100,
              render: (value: string | null) =>
                value ? (
                  <Badge status="default" text={t('apiKeys.revoked')} />
                ) : (
                  <Badge status="success" text={t('apiKeys.active')} />
                ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              fixed: 'right',
              width: 90,
              render: (_: unknown, key) =>
                key.revoked_at ? null : (
                  <Popconfirm
                    title={t('apiKeys.revokeConfirm', { name: key.name })}
                    okText={t('apiKeys.revoke')}
                    okButtonProps={{ danger: true }}
                    cancelText={t('common.cancel')}
                    onConfirm={() => onRevoke(key)}
                  >
                    <Button type="link" size="small" danger>
                      {t('apiKeys.revoke')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
        <LoadMore
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
          shown={keys.length}
        />
      </Card>
      {creating && (
        <ApiKeyCreateModal
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
          }}
        />
      )}
      {created && <ApiKeyCreatedModal created={created} onClose={() => setCreated(null)} />}
    </>
  );
}
