import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Flex, Popconfirm, Segmented, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { AnalyticsFilters } from '../../components/analytics';
import { EChart } from '../../components/charts';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { problemMessage } from '../../lib/problems';
import { formatMoney } from '../contracts/money';
import { canWrite, useSession } from '../auth';
import { type CommissionPlan, type CommissionStatement, useDeletePlan, usePlans, useStatements } from './api';
import { usePeriodFilters } from '../targets/filters';
import { formatRate } from './format';
import { PlanDrawer } from './PlanDrawer';
import { StatementDrawer } from './StatementDrawer';

const KINDS = ['month', 'quarter', 'year'] as const;

/** CNY (the workspace base) first, then by code. */
function baseFirst(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'CNY') return -1;
  if (b === 'CNY') return 1;
  return a.localeCompare(b);
}

function commissionChart(rows: readonly CommissionStatement[], labels: { gross: string; commission: string }, currency: string) {
  const shown = [...rows].reverse();
  return {
    title: { text: currency, right: 0, top: 0, textStyle: { fontSize: 12, fontWeight: 'normal' } },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: shown.map((s) => s.user_name) },
    series: [
      { type: 'bar', name: labels.gross, data: shown.map((s) => Number(s.gross_commission)), itemStyle: { color: '#91caff' } },
      { type: 'bar', name: labels.commission, data: shown.map((s) => Number(s.commission)), itemStyle: { color: '#1677ff' } },
    ],
  };
}

function StatementsTab() {
  const { t } = useTranslation();
  const [filters, setFilters] = usePeriodFilters(KINDS);
  const [open, setOpen] = useState<CommissionStatement | null>(null);
  const statements = useStatements(filters.period, filters.teamId);
  const rows = useMemo(() => statements.data?.pages.flatMap((p) => p.data) ?? [], [statements.data]);
  // one chart per currency: amounts in different currencies never share an axis
  const currencies = useMemo(() => [...new Set(rows.map((s) => s.currency))].sort(baseFirst), [rows]);
  const [chosenCurrency, setCurrency] = useState<string | null>(null);
  const currency = chosenCurrency && currencies.includes(chosenCurrency) ? chosenCurrency : currencies[0] ?? 'CNY';
  const charted = useMemo(() => rows.filter((s) => s.currency === currency), [rows, currency]);
  const option = useMemo(
    () => commissionChart(charted, { gross: t('commission.fields.gross'), commission: t('commission.fields.commission') }, currency),
    [charted, currency, t],
  );
  return (
    <>
      <Flex wrap gap={8} style={{ marginBottom: 16 }}>
        <AnalyticsFilters value={filters} onChange={setFilters} kinds={KINDS} showOwner={false} />
        {currencies.length > 1 && (
          <Segmented<string> value={currency} onChange={setCurrency} options={currencies} data-testid="commission-currency" />
        )}
      </Flex>
      {statements.isError && <ProblemAlert error={statements.error} onRetry={() => void statements.refetch()} />}
      <EChart
        option={option}
        ariaLabel={t('commission.chartLabel', { period: filters.period })}
        height={Math.max(200, 60 + charted.length * 36)}
        empty={statements.isSuccess && charted.every((s) => Number(s.commission) === 0)}
        emptyText={t('commission.noCommission')}
        testId="commission-chart"
      />
      <Table<CommissionStatement>
        rowKey={(s) => `${s.user_id}-${s.plan_id}`}
        size="small"
        loading={statements.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        style={{ marginTop: 16 }}
        locale={{ emptyText: t('commission.noStatements') }}
        data-testid="statements-table"
        onRow={(s) => ({ onClick: () => setOpen(s), style: { cursor: 'pointer' } })}
        columns={[
          {
            key: 'user',
            title: t('commission.fields.rep'),
            render: (_: unknown, s) => (
              <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpen(s)}>
                {s.user_name}
              </Button>
            ),
          },
          { key: 'team', title: t('commission.fields.team'), dataIndex: 'team_name' },
          { key: 'plan', title: t('commission.fields.plan'), dataIndex: 'plan_name' },
          { key: 'payments', title: t('commission.fields.payments'), dataIndex: 'payments', align: 'right' },
          { key: 'base', title: t('commission.fields.base'), align: 'right', render: (_: unknown, s) => formatMoney(s.payments_base, s.currency) },
          {
            key: 'attainment',
            title: t('commission.fields.attainment'),
            align: 'right',
            render: (_: unknown, s) => (s.attainment_percent === null ? '—' : `${s.attainment_percent}%`),
          },
          { key: 'multiplier', title: t('commission.fields.multiplier'), align: 'right', render: (_: unknown, s) => `×${formatRate(s.multiplier)}` },
          {
            key: 'commission',
            title: t('commission.fields.commission'),
            align: 'right',
            render: (_: unknown, s) => <Typography.Text strong>{formatMoney(s.commission, s.currency)}</Typography.Text>,
          },
        ]}
      />
      <LoadMore
        hasMore={statements.hasNextPage}
        loading={statements.isFetchingNextPage}
        onLoadMore={() => void statements.fetchNextPage()}
        shown={rows.length}
      />
      {open && <StatementDrawer statement={open} onClose={() => setOpen(null)} />}
    </>
  );
}

function PlansTab({ writable }: { writable: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const plans = usePlans();
  const remove = useDeletePlan();
  const rows = useMemo(() => plans.data?.pages.flatMap((p) => p.data) ?? [], [plans.data]);
  const [editing, setEditing] = useState<CommissionPlan | 'new' | null>(null);
  return (
    <>
      {writable && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} style={{ marginBottom: 16 }} data-testid="plan-create">
          {t('commission.createPlan')}
        </Button>
      )}
      {plans.isError && <ProblemAlert error={plans.error} onRetry={() => void plans.refetch()} />}
      <Table<CommissionPlan>
        rowKey="id"
        size="small"
        loading={plans.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('commission.noPlans') }}
        data-testid="plans-table"
        columns={[
          { key: 'priority', title: t('commission.fields.priority'), dataIndex: 'priority', width: 80 },
          {
            key: 'name',
            title: t('commission.fields.name'),
            render: (_: unknown, p) => (
              <Space size={4}>
                {p.name}
                {!p.active && <Tag>{t('commission.inactive')}</Tag>}
              </Space>
            ),
          },
          { key: 'currency', title: t('commission.fields.currency'), dataIndex: 'currency' },
          { key: 'base', title: t('commission.fields.baseRate'), align: 'right', render: (_: unknown, p) => `${formatRate(p.base_rate)}%` },
          {
            key: 'rules',
            title: t('commission.rulesTitle'),
            render: (_: unknown, p) =>
              p.rules.length
                ? p.rules.map((r) => `${t(`commission.matches.${r.match}`)} ${r.value}: ${formatRate(r.rate)}%`).join(t('common.listSeparator'))
                : '—',
          },
          {
            key: 'tiers',
            title: t('commission.tiersTitle'),
            render: (_: unknown, p) =>
              p.attainment_tiers.length
                ? p.attainment_tiers.map((tier) => `≥${formatRate(tier.min_attainment)}% ×${formatRate(tier.multiplier)}`).join(' · ')
                : '—',
          },
          ...(writable
            ? [
                {
                  key: 'actions',
                  title: t('common.actions'),
                  width: 110,
                  render: (_: unknown, p: CommissionPlan) => (
                    <Space size={0}>
                      <Button type="text" size="small" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => setEditing(p)} />
                      <Popconfirm
                        title={t('commission.deleteConfirm')}
                        okText={t('common.delete')}
                        cancelText={t('common.cancel')}
                        onConfirm={() =>
                          remove.mutate(p, {
                            onSuccess: () => void message.success(t('commission.planDeleted')),
                            onError: (error) => void message.error(problemMessage(error)),
                          })
                        }
                      >
                        <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <PlanDrawer plan={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

/** 提成: commission per rep from the money received, traceable to each payment; and the plans. */
export default function CommissionPage() {
  const { t } = useTranslation();
  const me = useSession();
  const writable = canWrite(me, 'settings');
  return (
    <>
      <PageHeader title={t('commission.title')} description={t('commission.description')} />
      <Card>
        <Tabs
          items={[
            { key: 'statements', label: t('commission.statements'), children: <StatementsTab /> },
            { key: 'plans', label: t('commission.plans'), children: <PlansTab writable={writable} /> },
          ]}
        />
      </Card>
    </>
  );
}
