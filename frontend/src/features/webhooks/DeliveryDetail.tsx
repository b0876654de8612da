import { Alert, Descriptions, Skeleton, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime } from '../../lib/dates';
import { useDelivery } from './api';
import type { WebhookAttempt } from './types';

/** A delivery's attempts (status, latency, answer excerpt) and the payload it carries. */
export function DeliveryDetail({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) {
  const { t } = useTranslation();
  const query = useDelivery(endpointId, deliveryId);
  if (query.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (query.isError) return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  const delivery = query.data;
  return (
    <div data-testid="delivery-detail">
      <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('webhooks.webhookId')}>
          <Typography.Text code copyable>
            {delivery.webhook_id}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('webhooks.nextAttempt')}>
          {formatDateTime(delivery.next_attempt_at) ?? t('common.none')}
        </Descriptions.Item>
      </Descriptions>
      <Table<WebhookAttempt>
        size="small"
        rowKey="attempt"
        dataSource={delivery.attempts_log}
        pagination={false}
        locale={{ emptyText: t('webhooks.noAttempts') }}
        columns={[
          { title: t('webhooks.attempt'), dataIndex: 'attempt', width: 70 },
          {
            title: t('webhooks.startedAt'),
            dataIndex: 'started_at',
            width: 160,
            render: (value: string, attempt) => (
              <>
                {formatDateTime(value)}
                {attempt.manual && <Typography.Text type="secondary"> · {t('webhooks.manual')}</Typography.Text>}
              </>
            ),
          },
          {
            title: t('webhooks.statusCode'),
            dataIndex: 'status_code',
            width: 90,
            render: (code: number | null) => code ?? '—',
          },
          {
            title: t('webhooks.latency'),
            dataIndex: 'latency_ms',
            width: 90,
            render: (ms: number | null) => (ms === null ? '—' : t('webhooks.ms', { ms })),
          },
          {
            title: t('webhooks.response'),
            key: 'response',
            render: (_: unknown, attempt) =>
              attempt.error ? (
                <Typography.Text type="danger">{attempt.error}</Typography.Text>
              ) : attempt.finished_at === null ? (
                <Typography.Text type="secondary">{t('webhooks.inFlight')}</Typography.Text>
              ) : (
                <Typography.Text code ellipsis={{ tooltip: attempt.response_excerpt }} style={{ maxWidth: 360 }}>
                  {attempt.response_excerpt || t('webhooks.emptyBody')}
                </Typography.Text>
              ),
          },
        ]}
      />
      <Typography.Text strong style={{ display: 'block', margin: '12px 0 4px' }}>
        {t('webhooks.payload')}
      </Typography.Text>
      {delivery.status === 'failed' && (
        <Alert type="error" showIcon message={t('webhooks.failedHelp')} style={{ marginBottom: 8 }} />
      )}
      <pre style={{ maxHeight: 260, overflow: 'auto', background: '#f6f8fb', padding: 12, borderRadius: 6, fontSize: 12, margin: 0 }}>
        {JSON.stringify(delivery.payload, null, 2)}
      </pre>
    </div>
  );
}
