import { ArrowLeftOutlined, EditOutlined, KeyOutlined, SendOutlined } from '@ant-design/icons';
import {
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Flex,
  InputNumber,
  Modal,
  Popconfirm,
  Result,
  Segmented,
  Skeleton,
  Space,
  Switch,
  Table,
  Typography,
} from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';

import { isApiProblem } from '../../api/problem';
import { LoadMore } from '../../components/LoadMore';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime } from '../../lib/dates';
import { problemMessage } from '../../lib/problems';
import {
  useDeleteWebhook,
  useDeliveries,
  useRedeliver,
  useRotateSecret,
  useSendTest,
  useUpdateWebhook,
  useWebhook,
  webhookKeys,
} from './api';
import { DeliveryDetail } from './DeliveryDetail';
import { WebhookFormModal } from './WebhookFormModal';
import { EventTypeTags } from './WebhookList';
import { WebhookSecretModal } from './WebhookSecretModal';
import { DeliveryStatusTag, EndpointStatus } from './WebhookStatus';
import type { DeliveryStatus, WebhookDelivery, WebhookEndpoint } from './types';

function RotateModal({ endpointId, onClose, onRotated }: { endpointId: string; onClose: () => void; onRotated: (secret: string) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const rotate = useRotateSecret(endpointId);
  const [hours, setHours] = useState<number | null>(24);
  return (
    <Modal
      open
      title={t('webhooks.rotateTitle')}
      okText={t('webhooks.rotate')}
      cancelText={t('common.cancel')}
      confirmLoading={rotate.isPending}
      // an emptied field must not mean "no overlap": that would cut receivers off at once
      okButtonProps={{ disabled: hours === null }}
      onCancel={onClose}
      onOk={() =>
        hours !== null &&
        rotate.mutate(hours, {
          onSuccess: (answer) => onRotated(answer.secret),
          onError: (error) => void message.error(problemMessage(error)),
        })
      }
    >
      <Typography.Paragraph>{t('webhooks.rotateHelp')}</Typography.Paragraph>
      <Space>
        <Typography.Text>{t('webhooks.overlap')}</Typography.Text>
        <InputNumber min={0} max={168} value={hours} onChange={(v) => setHours(v)} addonAfter={t('webhooks.hours')} />
      </Space>
    </Modal>
  );
}

function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [status, setStatus] = useState<DeliveryStatus | 'all'>('all');
  const list = useDeliveries(endpoint.id, status === 'all' ? undefined : status);
  const redeliver = useRedeliver(endpoint.id);
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);
  // a delivery that moved on changes the endpoint's own counters (last success, failures, on/off)
  const queryClient = useQueryClient();
  const progress = rows.map((d) => `${d.id}:${d.status}:${d.attempts}`).join(',');
  useEffect(() => {
    if (progress) void queryClient.invalidateQueries({ queryKey: webhookKeys.detail(endpoint.id), exact: true });
  }, [progress, endpoint.id, queryClient]);
  return (
    <Card
      title={t('webhooks.deliveries')}
      extra={
        <Segmented<DeliveryStatus | 'all'>
          value={status}
          onChange={setStatus}
          options={(['all', 'pending', 'delivered', 'failed'] as const).map((value) => ({
            value,
            label: value === 'all' ? t('common.all') : t(`webhooks.deliveryStatus.${value}`),
          }))}
        />
      }
    >
      {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
      <Table<WebhookDelivery>
        rowKey="id"
        dataSource={rows}
        loading={list.isPending}
        pagination={false}
        scroll={{ x: 880 }}
        locale={{ emptyText: t('webhooks.noDeliveries') }}
        expandable={{
          expandedRowRender: (delivery) => <DeliveryDetail endpointId={endpoint.id} deliveryId={delivery.id} />,
          expandRowByClick: true,
        }}
        columns={[
          {
            title: t('webhooks.eventType'),
            dataIndex: 'event_type',
            render: (type: string) => <Typography.Text code>{type}</Typography.Text>,
          },
          {
            title: t('webhooks.status'),
            dataIndex: 'status',
            width: 110,
            render: (value: DeliveryStatus) => <DeliveryStatusTag status={value} />,
          },
          { title: t('webhooks.attempts'), dataIndex: 'attempts', width: 80 },
          {
            title: t('webhooks.statusCode'),
            dataIndex: 'last_status_code',
            width: 100,
            render: (code: number | null, delivery) =>
              code ?? (delivery.last_error ? <Typography.Text type="danger">{t('webhooks.noAnswer')}</Typography.Text> : '—'),
          },
          {
            title: t('webhooks.createdAt'),
            dataIndex: 'created_at',
            width: 160,
            render: (value: string) => formatDateTime(value),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 110,
            render: (_: unknown, delivery) => (
              <Button
                type="link"
                size="small"
                disabled={!endpoint.active}
                loading={redeliver.isPending && redeliver.variables === delivery.id}
                onClick={(event) => {
                  event.stopPropagation();
                  redeliver.mutate(delivery.id, {
                    onSuccess: () => void message.success(t('webhooks.redeliverQueued')),
                    onError: (error) => void message.error(problemMessage(error)),
                  });
                }}
              >
                {t('webhooks.redeliver')}
              </Button>
            ),
          },
        ]}
      />
      <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onLoadMore={() => void list.fetchNextPage()} shown={rows.length} />
    </Card>
  );
}

export default function WebhookDetail() {
  const { endpointId = '' } = useParams();
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const query = useWebhook(endpointId);
  const update = useUpdateWebhook(endpointId);
  const remove = useDeleteWebhook(endpointId);
  const sendTest = useSendTest(endpointId);
  const [editing, setEditing] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);

  if (query.isPending) return <Skeleton active />;
  if (query.isError) {
    if (isApiProblem(query.error) && query.error.status === 404) {
      return (
        <Result
          status="404"
          title={t('webhooks.notFound')}
          extra={<Link to="/settings/webhooks">{t('webhooks.backToList')}</Link>}
        />
      );
    }
    return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  }
  const endpoint = query.data;

  return (
    <>
      <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
        <div style={{ minWidth: 0 }}>
          <Link to="/settings/webhooks">
            <ArrowLeftOutlined /> {t('webhooks.title')}
          </Link>
          <Typography.Title level={4} style={{ margin: '8px 0 0', wordBreak: 'break-all' }} data-testid="webhook-url-title">
            {endpoint.url}
          </Typography.Title>
          {endpoint.description && <Typography.Text type="secondary">{endpoint.description}</Typography.Text>}
        </div>
        <Space wrap>
          <Button
            type="primary"
            icon={<SendOutlined />}
            disabled={!endpoint.active}
            loading={sendTest.isPending}
            data-testid="webhook-send-test"
            onClick={() =>
              sendTest.mutate(undefined, {
                onSuccess: () => void message.success(t('webhooks.testQueued')),
                onError: (error) => void message.error(problemMessage(error)),
              })
            }
          >
            {t('webhooks.sendTest')}
          </Button>
          <Button icon={<KeyOutlined />} onClick={() => setRotating(true)}>
            {t('webhooks.rotate')}
          </Button>
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
            {t('common.edit')}
          </Button>
          <Popconfirm
            title={t('webhooks.deleteConfirm')}
            okText={t('common.delete')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              remove.mutate(undefined, {
                onSuccess: () => {
                  void message.success(t('webhooks.deleted'));
                  void navigate('/settings/webhooks');
                },
                onError: (error) => void message.error(problemMessage(error)),
              })
            }
          >
            <Button danger>{t('common.delete')}</Button>
          </Popconfirm>
        </Space>
      </Flex>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('webhooks.status')}>
            <Space>
              <EndpointStatus endpoint={endpoint} />
              <Switch
                size="small"
                checked={endpoint.active}
                loading={update.isPending}
                onChange={(active) =>
                  update.mutate(
                    { body: { active } },
                    { onError: (error) => void message.error(problemMessage(error)) },
                  )
                }
                aria-label={t('webhooks.active')}
              />
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('webhooks.eventTypes')}>
            <EventTypeTags types={endpoint.event_types} />
          </Descriptions.Item>
          <Descriptions.Item label={t('webhooks.secret')}>
            <Typography.Text code>{endpoint.secret_prefix}</Typography.Text>
            {endpoint.previous_secret_expires_at && (
              <Typography.Text type="secondary">
                {' '}
                {t('webhooks.previousUntil', { time: formatDateTime(endpoint.previous_secret_expires_at) })}
              </Typography.Text>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('webhooks.failures')}>{endpoint.consecutive_failures}</Descriptions.Item>
          <Descriptions.Item label={t('webhooks.lastSuccess')}>
            {formatDateTime(endpoint.last_success_at) ?? t('common.never')}
          </Descriptions.Item>
          <Descriptions.Item label={t('webhooks.lastFailure')}>
            {formatDateTime(endpoint.last_failure_at) ?? t('common.never')}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <DeliveryLog endpoint={endpoint} />
      {editing && <WebhookFormModal endpoint={endpoint} onClose={() => setEditing(false)} />}
      {rotating && (
        <RotateModal
          endpointId={endpoint.id}
          onClose={() => setRotating(false)}
          onRotated={(value) => {
            setRotating(false);
            setSecret(value);
          }}
        />
      )}
      {secret && <WebhookSecretModal secret={secret} rotated onClose={() => setSecret(null)} />}
    </>
  );
}
