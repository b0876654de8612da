import { InboxOutlined, PlusOutlined, ReloadOutlined, SettingOutlined, UserAddOutlined } from '@ant-design/icons';
import {
  App as AntApp,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Form,
  Input,
  Menu,
  Modal,
  Row,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';

import type { Pool, PoolCustomer } from '../../api/types';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { UserSelect } from '../../components/UserSelect';
import { formatDateTime, fromNow } from '../../lib/dates';
import { applyProblemToForm } from '../../lib/problems';
import { useSession } from '../auth';
import { useAssignCustomer, useClaimCustomer, usePoolCustomers, usePools, useReclaimDue } from './api';
import { claimMessage } from './claimErrors';
import { PoolRulesDrawer } from './PoolRulesDrawer';
import { ReclaimDueList } from './ReclaimDueList';

const MANAGERS = new Set(['owner', 'admin', 'manager']);
const ADMINS = new Set(['owner', 'admin']);

function AssignModal({ customer, onClose }: { customer: PoolCustomer; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ to_user_id: string; reason?: string }>();
  const assign = useAssignCustomer();
  return (
    <Modal
      open
      title={t('pools.assignTitle', { name: customer.name })}
      okText={t('pools.assign')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={assign.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          assign.mutate(
            { customerId: customer.id, body: { to_user_id: values.to_user_id, reason: values.reason?.trim() || null } },
            {
              onSuccess: () => {
                void message.success(t('pools.assigned'));
                onClose();
              },
              onError: (error) => {
                if (!applyProblemToForm(form, error)) void message.error(claimMessage(error));
              },
            },
          )
        }
      >
        <Form.Item name="to_user_id" label={t('pools.assignTo')} rules={[{ required: true, message: t('transfer.toRequired') }]}>
          <UserSelect />
        </Form.Item>
        <Form.Item name="reason" label={t('transfer.reason')}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function rulesSummary(t: (key: string, options: Record<string, unknown>) => string, pool: Pool): string[] {
  const r = pool.rules;
  const out: string[] = [];
  if (r.holding_cap) out.push(t('pools.rules.cap', { n: r.holding_cap }));
  if (r.daily_claim_limit) out.push(t('pools.rules.daily', { n: r.daily_claim_limit }));
  if (r.cooldown_days) out.push(t('pools.rules.cooldown', { n: r.cooldown_days }));
  if (r.mask_contacts === false) out.push(t('pools.rules.unmasked', {}));
  const reclaim = r.reclaim_days ?? {};
  for (const [level, days] of Object.entries(reclaim)) {
    out.push(
      level === 'default' ? t('pools.rules.reclaim', { n: days }) : t('pools.rules.reclaimLevel', { level, n: days }),
    );
  }
  for (const [level, days] of Object.entries(r.no_win_days ?? {})) {
    out.push(
      level === 'default' ? t('pools.rules.noWin', { n: days }) : t('pools.rules.noWinLevel', { level, n: days }),
    );
  }
  if (r.cap_counts_won === false && r.holding_cap) out.push(t('pools.rules.wonNotCounted', {}));
  return out;
}

/** 公海: customers without an owner; claim one, or (managers) assign it to a rep. */
export default function PoolPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const { poolId } = useParams();
  const me = useSession();
  const manager = MANAGERS.has(me.user.role);
  const admin = ADMINS.has(me.user.role);
  const [editing, setEditing] = useState<Pool | 'new' | null>(null);
  const [tab, setTab] = useState<'customers' | 'due'>('customers');
  const pools = usePools();
  const pool = useMemo(
    () => (pools.data ?? []).find((p) => p.id === poolId) ?? (pools.data ?? []).find((p) => p.is_default) ?? pools.data?.[0],
    [pools.data, poolId],
  );
  const [q, setQ] = useState('');
  const customers = usePoolCustomers(pool?.id, q);
  const rows = customers.data?.pages.flatMap((page) => page.data) ?? [];
  const claim = useClaimCustomer();
  const reclaimDue = useReclaimDue();
  const dueCount = reclaimDue.data?.length ?? 0;
  const [assigning, setAssigning] = useState<PoolCustomer | null>(null);

  const onClaim = (customer: PoolCustomer) =>
    claim.mutate(customer.id, {
      onSuccess: () =>
        void message.success({
          content: (
            <span>
              {t('pools.claimed', { name: customer.name })}{' '}
              {/* Messages render outside the router: navigate by hand rather than with <Link>. */}
              <Typography.Link
                href={`/customers/${customer.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  void navigate(`/customers/${customer.id}`);
                }}
              >
                {t('common.open')}
              </Typography.Link>
            </span>
          ),
        }),
      onError: (error) => void message.error(claimMessage(error)),
    });

  return (
    <>
      <PageHeader
        title={t('pools.title')}
        description={t('pools.description')}
        extra={
          admin && (
            <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="pool-create">
              {t('pools.editor.create')}
            </Button>
          )
        }
      />
      {pools.isError && <ProblemAlert error={pools.error} onRetry={() => void pools.refetch()} />}
      {pools.isSuccess && pools.data.length === 0 ? (
        <Card>
          <Empty image={<InboxOutlined style={{ fontSize: 48, color: '#bfbfbf' }} />} description={t('pools.none')} />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={5}>
            <Card size="small" title={t('pools.list')} styles={{ body: { padding: 4 } }} loading={pools.isPending}>
              <Menu
                mode="inline"
                selectedKeys={pool ? [pool.id] : []}
                style={{ borderInlineEnd: 'none' }}
                items={(pools.data ?? []).map((p) => ({
                  key: p.id,
                  label: (
                    <Space size={4}>
                      {p.name}
                      {p.is_default && <Tag bordered={false}>{t('pools.default')}</Tag>}
                    </Space>
                  ),
                }))}
                onClick={({ key }) => {
                  setTab('customers');
                  void navigate(`/pools/${key}`);
                }}
              />
            </Card>
          </Col>
          <Col xs={24} lg={19}>
            <Tabs
              activeKey={tab}
              onChange={(key) => setTab(key as 'customers' | 'due')}
              style={{ marginTop: -8 }}
              items={[
                { key: 'customers', label: t('pools.tabs.customers') },
                {
                  key: 'due',
                  label: (
                    <span data-testid="pool-tab-due">
                      {t('pools.returningSoon')}
                      {dueCount > 0 && <Tag color="red" bordered={false} style={{ marginInlineStart: 6 }}>{dueCount}</Tag>}
                    </span>
                  ),
                },
              ]}
            />
            {tab === 'due' ? (
              <ReclaimDueList pools={pools.data ?? []} />
            ) : (
              <Card
                size="small"
                title={pool?.name}
                extra={
                  pool ? (
                    <Space size={4} wrap>
                      {rulesSummary(t as unknown as (key: string, options: Record<string, unknown>) => string, pool).map((r) => (
                        <Tag key={r} bordered={false}>
                          {r}
                        </Tag>
                      ))}
                      {admin && (
                        <Button size="small" icon={<SettingOutlined />} onClick={() => setEditing(pool)} data-testid="pool-edit">
                          {t('pools.editor.button')}
                        </Button>
                      )}
                    </Space>
                  ) : null
                }
              >
                {pool?.description && (
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
                    {pool.description}
                  </Typography.Paragraph>
                )}
                <Flex gap={8} style={{ marginBottom: 12 }}>
                  <Input.Search
                    allowClear
                    placeholder={t('pools.searchPlaceholder')}
                    onSearch={(value) => setQ(value.trim())}
                    enterButton={t('common.search')}
                    style={{ width: 320 }}
                  />
                  <Button icon={<ReloadOutlined />} onClick={() => void customers.refetch()} aria-label={t('common.refresh')} />
                </Flex>
                {customers.isError && <ProblemAlert error={customers.error} onRetry={() => void customers.refetch()} />}
                <Table<PoolCustomer>
                  rowKey="id"
                  size="middle"
                  loading={customers.isPending && Boolean(pool)}
                  dataSource={rows}
                  pagination={false}
                  scroll={{ x: 1080 }}
                  locale={{ emptyText: t('pools.empty') }}
                  data-testid="pool-table"
                  columns={[
                    {
                      title: t('customers.fields.name'),
                      dataIndex: 'name',
                      width: 240,
                      render: (name: string, c) => (
                        <Flex vertical>
                          <Typography.Text strong>{name}</Typography.Text>
                          {c.short_name && (
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              {c.short_name}
                            </Typography.Text>
                          )}
                        </Flex>
                      ),
                    },
                    {
                      title: t('customers.fields.level'),
                      dataIndex: 'level',
                      width: 70,
                      render: (level: string | null) => (level ? <Tag color="gold">{level}</Tag> : null),
                    },
                    { title: t('customers.fields.industry'), dataIndex: 'industry', width: 110 },
                    {
                      title: t('customers.columns.region'),
                      width: 120,
                      render: (_: unknown, c) => [c.province, c.city].filter(Boolean).join(' / '),
                    },
                    {
                      title: t('customers.fields.phones'),
                      dataIndex: 'phones',
                      width: 150,
                      render: (phones: string[], c) => (
                        <Space size={4}>
                          {phones[0] ?? '—'}
                          {c.masked && (
                            <Tag bordered={false} title={t('pools.maskedHelp')}>
                              {t('pools.masked')}
                            </Tag>
                          )}
                        </Space>
                      ),
                    },
                    {
                      title: t('customers.fields.last_followed_at'),
                      dataIndex: 'last_followed_at',
                      width: 120,
                      render: (v: string | null) => (v ? fromNow(v) : t('customers.neverFollowed')),
                    },
                    {
                      title: t('pools.enteredAt'),
                      dataIndex: 'updated_at',
                      width: 140,
                      render: (v: string) => formatDateTime(v),
                    },
                    {
                      title: t('common.actions'),
                      key: 'actions',
                      fixed: 'right',
                      width: manager ? 170 : 90,
                      render: (_: unknown, c) => (
                        <Space size={0}>
                          <Button
                            type="link"
                            size="small"
                            onClick={() => onClaim(c)}
                            loading={claim.isPending && claim.variables === c.id}
                            data-testid="pool-claim"
                          >
                            {t('pools.claim')}
                          </Button>
                          {manager && (
                            <Button type="link" size="small" icon={<UserAddOutlined />} onClick={() => setAssigning(c)}>
                              {t('pools.assign')}
                            </Button>
                          )}
                        </Space>
                      ),
                    },
                  ]}
                />
                <LoadMore
                  hasMore={customers.hasNextPage}
                  loading={customers.isFetchingNextPage}
                  onLoadMore={() => void customers.fetchNextPage()}
                  shown={rows.length}
                />
              </Card>
            )}
          </Col>
        </Row>
      )}
      {assigning && <AssignModal customer={assigning} onClose={() => setAssigning(null)} />}
      {editing && (
        <PoolRulesDrawer
          pool={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => void navigate(`/pools/${saved.id}`)}
        />
      )}
    </>
  );
}
