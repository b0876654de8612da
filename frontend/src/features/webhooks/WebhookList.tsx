import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime } from '../../lib/dates';
import { useWebhooks } from './api';
import { WebhookFormModal } from './WebhookFormModal';
import { WebhookSecretModal } from './WebhookSecretModal';
import { EndpointStatus } from './WebhookStatus';
import type { WebhookEndpoint, WebhookEndpointCreated } from './types';

export function EventTypeTags({ types }: { types: string[] }) {
  const { t } = useTranslation();
  return (
    <Flex gap={4} wrap>
      {types.map((type) => (
        <Tag key={type} bordered={false} style={{ marginInlineEnd: 0 }}>
          {type === '*' ? t('webhooks.allEvents') : type}
        </Tag>
      ))}
    </Flex>
  );
}

export default function WebhookList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useWebhooks();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<WebhookEndpointCreated | null>(null);
  const endpoints = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);

  return (
    <>
      <PageHeader
        title={t('webhooks.title')}
        description={t('webhooks.description')}
        extra={
          <>
            <Link to="/settings/api-keys">
              <Button>{t('webhooks.apiKeysLink')}</Button>
            </Link>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="webhook-create">
              {t('webhooks.create')}
            </Button>
          </>
        }
      />
      <Card>
        {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
        <Table<WebhookEndpoint>
          rowKey="id"
          dataSource={endpoints}
          loading={list.isPending}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: t('webhooks.empty') }}
          onRow={(endpoint) => ({ onClick: () => void navigate(`/settings/webhooks/${endpoint.id}`), style: { cursor: 'pointer' } })}
          columns={[
            {
              title: t('webhooks.url'),
              dataIndex: 'url',
              render: (url: string, endpoint) => (
                <div>
                  <Typography.Text strong style={{ wordBreak: 'break-all' }}>
                    {url}
                  </Typography.Text>
                  {endpoint.description && (
                    <Typography.Text type="secondary" style={{ display: 'block' }}>
                      {endpoint.description}
                    </Typography.Text>
                  )}
                </div>
              ),
            },
            {
              title: t('webhooks.eventTypes'),
              dataIndex: 'event_types',
              width: 240,
              render: (types: string[]) => <EventTypeTags types={types} />,
            },
            {
              title: t('webhooks.status'),
              key: 'status',
              width: 160,
              render: (_: unknown, endpoint) => <EndpointStatus endpoint={endpoint} />,
            },
            {
              title: t('webhooks.lastSuccess'),
              dataIndex: 'last_success_at',
              width: 150,
              render: (value: string | null) =>
                formatDateTime(value) ?? <Typography.Text type="secondary">{t('common.never')}</Typography.Text>,
            },
          ]}
        />
        <LoadMore
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
          shown={endpoints.length}
        />
      </Card>
      {creating && (
        <WebhookFormModal
          onClose={() => setCreating(false)}
          onCreated={(endpoint) => {
            setCreating(false);
            setCreated(endpoint);
          }}
        />
      )}
      {created && (
        <WebhookSecretModal
          secret={created.secret}
          onClose={() => {
            setCreated(null);
            void navigate(`/settings/webhooks/${created.id}`);
          }}
        />
      )}
    </>
  );
}
