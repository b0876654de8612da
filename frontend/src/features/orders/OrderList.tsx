import { LinkOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  AutoComplete,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Modal,
  Select,
  Table,
  Tabs,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import type { Order, OrderStatus } from '../../api/types';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { translateIfExists } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { applyProblemToForm } from '../../lib/problems';
import { canWrite, useSession } from '../auth';
import { CustomerSelect } from '../contracts/CustomerSelect';
import { formatMoney } from '../contracts/money';
import { cashProblemMessage } from '../contracts/problems';
import { KNOWN_CHANNELS, type OrderFilters, useMatchOrder, useOrderList } from './api';

const STATUSES: readonly OrderStatus[] = ['pending', 'paid', 'shipped', 'completed', 'cancelled', 'refunded'];
const STATUS_COLORS: Record<OrderStatus, string> = {
  pending: 'default',
  paid: 'processing',
  shipped: 'cyan',
  completed: 'success',
  cancelled: 'default',
  refunded: 'warning',
};

function channelLabel(channel: string): string {
  return translateIfExists(`orders.channels.${channel}`) ?? channel;
}

/** The server's (English) reason an order stayed unmatched, in the user's language. */
function matchNote(note: string | null): string | null {
  if (!note) return null;
  const kind = note.startsWith('ambiguous')
    ? 'ambiguous'
    : note.startsWith('no buyer')
      ? 'noBuyer'
      : note.startsWith('no customer')
        ? 'noMatch'
        : null;
  return (kind && translateIfExists(`orders.notes.${kind}`)) || note;
}

function Items({ order }: { order: Order }) {
  const { t } = useTranslation();
  return (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={order.items}
      columns={[
        { key: 'sku', title: t('orders.items.sku'), dataIndex: 'sku', width: 140 },
        { key: 'name', title: t('orders.items.name'), dataIndex: 'name' },
        { key: 'qty', title: t('orders.items.quantity'), dataIndex: 'quantity', align: 'right', width: 90, render: (q: string) => q.replace(/\.?0+$/, '') },
        { key: 'price', title: t('orders.items.unitPrice'), align: 'right', width: 120, render: (_: unknown, line) => formatMoney(line.unit_price, order.currency) },
        { key: 'amount', title: t('orders.items.amount'), align: 'right', width: 120, render: (_: unknown, line) => formatMoney(line.amount, order.currency) },
      ]}
    />
  );
}

/** Attach an unmatched order to the customer who placed it. */
function MatchOrderModal({ order, onClose }: { order: Order; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ customer_id: string | null }>();
  const match = useMatchOrder();
  const [error, setError] = useState<unknown>(null);
  return (
    <Modal
      open
      title={t('orders.matchTitle', { number: order.order_number })}
      okText={t('orders.match')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={match.isPending}
      okButtonProps={{ 'data-testid': 'order-match-ok' }}
      destroyOnHidden
    >
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('orders.buyer.name')}>{order.customer_name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('orders.buyer.phone')}>{order.customer_phone ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('orders.buyer.email')}>{order.customer_email ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('orders.fields.amount')}>{formatMoney(order.amount, order.currency)}</Descriptions.Item>
        {order.match_note && <Descriptions.Item label={t('orders.fields.matchNote')}>{matchNote(order.match_note)}</Descriptions.Item>}
      </Descriptions>
      {error !== null && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={cashProblemMessage(error)} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          values.customer_id &&
          match.mutate(
            { order, customerId: values.customer_id },
            {
              onSuccess: () => {
                void message.success(t('orders.matched'));
                onClose();
              },
              onError: (failure) => {
                if (!applyProblemToForm(form, failure)) setError(failure);
              },
            },
          )
        }
      >
        <Form.Item name="customer_id" label={t('orders.fields.customer')} rules={[{ required: true, message: t('orders.customerRequired') }]}>
          <CustomerSelect data-testid="order-match-customer" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function OrdersTable({ review }: { review: boolean }) {
  const { t } = useTranslation();
  const me = useSession();
  const writable = canWrite(me, 'orders');
  const [filters, setFilters] = useState<OrderFilters>(review ? { matched: 'false' } : {});
  const [matching, setMatching] = useState<Order | null>(null);
  const list = useOrderList(filters);
  const orders = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);

  const columns: TableColumnsType<Order> = [
    {
      key: 'number',
      title: t('orders.fields.number'),
      fixed: 'left',
      width: 170,
      render: (_: unknown, o) => (
        <Flex vertical gap={0}>
          <Typography.Text strong>{o.order_number}</Typography.Text>
          {o.external_id && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {o.external_source}:{o.external_id}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    { key: 'channel', title: t('orders.fields.channel'), width: 110, render: (_: unknown, o) => <Tag bordered={false}>{channelLabel(o.channel)}</Tag> },
    {
      key: 'customer',
      title: t('orders.fields.customer'),
      width: 240,
      render: (_: unknown, o) =>
        o.customer_id ? (
          <Flex vertical gap={0}>
            <Link to={`/customers/${o.customer_id}`}>{o.customer_name ?? t('orders.openCustomer')}</Link>
            {o.matched_by && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('orders.matchedBy', { how: t(`orders.matchKinds.${o.matched_by}`) })}
              </Typography.Text>
            )}
          </Flex>
        ) : (
          <Flex vertical gap={0}>
            <span>
              <Tag color="warning" bordered={false}>
                {t('orders.unmatched')}
              </Tag>
              {o.customer_name}
            </span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {[o.customer_phone, o.customer_email].filter(Boolean).join(' · ')}
            </Typography.Text>
          </Flex>
        ),
    },
    {
      key: 'status',
      title: t('orders.fields.status'),
      width: 90,
      render: (_: unknown, o) => (
        <Tag color={STATUS_COLORS[o.status]} bordered={false}>
          {t(`orders.statuses.${o.status}`)}
        </Tag>
      ),
    },
    { key: 'amount', title: t('orders.fields.amount'), align: 'right', width: 120, render: (_: unknown, o) => formatMoney(o.amount, o.currency) },
    { key: 'ordered_at', title: t('orders.fields.ordered_at'), width: 150, render: (_: unknown, o) => formatDateTime(o.ordered_at) },
    ...(review
      ? [
          {
            key: 'note',
            title: t('orders.fields.matchNote'),
            width: 200,
            render: (_: unknown, o: Order) => (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {matchNote(o.match_note)}
              </Typography.Text>
            ),
          },
        ]
      : []),
    ...(writable
      ? [
          {
            key: 'actions',
            fixed: 'right' as const,
            width: 110,
            render: (_: unknown, o: Order) => (
              <Button type="link" size="small" icon={<LinkOutlined />} onClick={() => setMatching(o)} data-testid="order-match">
                {o.customer_id ? t('orders.rematch') : t('orders.match')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <AutoComplete
          allowClear
          placeholder={t('orders.fields.channel')}
          value={filters.channel}
          options={KNOWN_CHANNELS.map((c) => ({ value: c, label: channelLabel(c) }))}
          onChange={(value: string | undefined) => setFilters({ ...filters, channel: value || undefined })}
          style={{ width: 160 }}
        />
        <Select
          allowClear
          placeholder={t('orders.fields.status')}
          value={filters.status ?? undefined}
          onChange={(status) => setFilters({ ...filters, status })}
          options={STATUSES.map((s) => ({ value: s, label: t(`orders.statuses.${s}`) }))}
          style={{ width: 130 }}
        />
        {!review && (
          <Select
            allowClear
            placeholder={t('orders.matching')}
            value={filters.matched}
            onChange={(matched) => setFilters({ ...filters, matched })}
            options={[
              { value: 'true', label: t('orders.matchedOnly') },
              { value: 'false', label: t('orders.unmatchedOnly') },
            ]}
            style={{ width: 140 }}
          />
        )}
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />
      </Flex>
      {review && <Typography.Paragraph type="secondary">{t('orders.reviewHelp')}</Typography.Paragraph>}
      {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
      <Table<Order>
        rowKey="id"
        size="middle"
        dataSource={orders}
        columns={columns}
        loading={list.isPending || (list.isFetching && !list.isFetchingNextPage && list.isPlaceholderData)}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={{ expandedRowRender: (o) => <Items order={o} />, rowExpandable: (o) => o.items.length > 0 }}
        locale={review ? { emptyText: t('orders.reviewEmpty') } : undefined}
        data-testid={review ? 'orders-review-table' : 'orders-table'}
      />
      <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onLoadMore={() => void list.fetchNextPage()} shown={orders.length} />
      {matching && <MatchOrderModal order={matching} onClose={() => setMatching(null)} />}
    </>
  );
}

/** Orders from shops and ERPs, and the review list of those no customer was found for. */
export default function OrderList() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'unmatched' ? 'unmatched' : 'all';
  return (
    <>
      <PageHeader title={t('orders.title')} description={t('orders.description')} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'all' ? {} : { tab: key }, { replace: true })}
          destroyOnHidden
          items={[
            { key: 'all', label: t('orders.tabs.all'), children: <OrdersTable review={false} /> },
            { key: 'unmatched', label: t('orders.tabs.unmatched'), children: <OrdersTable review /> },
          ]}
        />
      </Card>
    </>
  );
}
