/**
 * 客户价值: the RFM cube and tiers, Pareto (the top 20 % of buyers and the key accounts),
 * customers at risk of churning, and retention cohorts. One page with a tab per view; the
 * tab and the filters live in the URL, so a view can be shared.
 */
import { ReloadOutlined, SettingOutlined } from '@ant-design/icons';
import {
  Button,
  Col,
  DatePicker,
  Flex,
  Radio,
  Row,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
  message,
  type TableColumnsType,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';

import { AnalyticsFilters, currentPeriod } from '../../components/analytics';
import { EChart } from '../../components/charts';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { TeamSelect } from '../../components/TeamSelect';
import { UserSelect } from '../../components/UserSelect';
import { formatDate, formatDateTime } from '../../lib/dates';
import { problemMessage } from '../../lib/problems';
import { useSession } from '../auth';
import { formatMoney } from '../contracts/money';
import { Widget } from '../dashboard/Widget';
import {
  type ChurnRisk,
  type KeyAccount,
  type Who,
  useChurnRisk,
  useCohorts,
  useKeyAccounts,
  usePareto,
  useRecompute,
  useRfmDistribution,
  useRfmRun,
  useRfmSettings,
} from './api';
import { cohortOption, type MonetaryView, paretoOption, rfHeatmapOption, SCORES, tierBarOption } from './options';
import { RfmTierTag } from './RfmTierTag';
import { RunStatus } from './RunStatus';

const TABS = ['rfm', 'pareto', 'churn', 'cohorts'] as const;
type Tab = (typeof TABS)[number];

function WhoBar({ who, onChange }: { who: Who; onChange: (who: Who) => void }) {
  const { t } = useTranslation();
  return (
    <Space wrap data-testid="who-filters">
      <div style={{ minWidth: 180 }}>
        <TeamSelect value={who.teamId ?? null} placeholder={t('analyticsFilters.team')} onChange={(teamId) => onChange({ ...who, teamId })} />
      </div>
      <UserSelect value={who.ownerId ?? null} placeholder={t('analyticsFilters.owner')} style={{ minWidth: 160 }} onChange={(ownerId) => onChange({ ...who, ownerId })} />
    </Space>
  );
}

function RfmView({ who, view, onView }: { who: Who; view: MonetaryView; onView: (view: MonetaryView) => void }) {
  const { t, i18n } = useTranslation();
  const distribution = useRfmDistribution(who);
  const data = distribution.data;
  const heatmap = useMemo(
    () =>
      data &&
      rfHeatmapOption(data.cube, view, {
        recency: t('customerValue.axis.recency'),
        frequency: t('customerValue.axis.frequency'),
        customers: t('customerValue.customers'),
      }),
    [data, view, t],
  );
  const bars = useMemo(
    () => data && tierBarOption(data.tiers, i18n.language, { customers: t('customerValue.customers') }),
    [data, i18n.language, t],
  );
  return (
    <Flex vertical gap={16}>
      <Typography.Text type="secondary" data-testid="rfm-computed-at">
        {data?.computed_at ? t('customerValue.computedAtValue', { at: formatDateTime(data.computed_at) }) : t('customerValue.neverRun')}
      </Typography.Text>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={13}>
          <Widget
            title={t('customerValue.heatmap.title')}
            extra={
              <Radio.Group size="small" value={view} onChange={(e) => onView(e.target.value as MonetaryView)} aria-label={t('customerValue.heatmap.mView')}>
                <Radio.Button value="all">{t('customerValue.heatmap.allM')}</Radio.Button>
                {SCORES.map((m) => (
                  <Radio.Button key={m} value={m}>{`M${m}`}</Radio.Button>
                ))}
              </Radio.Group>
            }
            query={distribution}
            empty={data?.customers === 0}
            emptyText={t('customerValue.empty')}
            height={360}
            testId="rfm-heatmap"
          >
            {() => heatmap && <EChart option={heatmap} height={360} ariaLabel={t('customerValue.heatmap.title')} testId="chart-rfm-heatmap" />}
          </Widget>
        </Col>
        <Col xs={24} lg={11}>
          <Widget
            title={t('customerValue.tiers.title')}
            query={distribution}
            empty={data?.customers === 0}
            emptyText={t('customerValue.empty')}
            height={360}
            testId="rfm-tiers"
          >
            {() =>
              data &&
              bars && (
                <Flex vertical gap={8}>
                  <EChart option={bars} height={240} ariaLabel={t('customerValue.tiers.title')} testId="chart-rfm-tiers" />
                  <Table
                    size="small"
                    pagination={false}
                    rowKey="key"
                    dataSource={data.tiers}
                    columns={[
                      { key: 'tier', title: t('customerValue.tier'), render: (_, tier) => <RfmTierTag tier={tier.key} /> },
                      { key: 'range', title: t('customerValue.tiers.range'), render: (_, tier) => `${tier.min_score}–${tier.max_score}` },
                      { key: 'customers', title: t('customerValue.customers'), dataIndex: 'customers', align: 'right' },
                      {
                        key: 'amount',
                        title: t('customerValue.tiers.amount'),
                        align: 'right',
                        render: (_, tier) => formatMoney(tier.amount, data.settings.currency),
                      },
                    ]}
                  />
                </Flex>
              )
            }
          </Widget>
        </Col>
      </Row>
    </Flex>
  );
}

function ParetoView({ period, who }: { period: string; who: Who }) {
  const { t } = useTranslation();
  const pareto = usePareto(period, who);
  const accounts = useKeyAccounts(period, who);
  const data = pareto.data;
  const option = useMemo(
    () =>
      data &&
      paretoOption(data, {
        customers: t('customerValue.pareto.customers'),
        revenue: t('customerValue.pareto.revenue'),
        equal: t('customerValue.pareto.equal'),
      }),
    [data, t],
  );
  const rows = accounts.data?.pages.flatMap((p) => p.data) ?? [];
  const currency = data?.currency ?? 'CNY';
  const columns: TableColumnsType<KeyAccount> = [
    { key: 'rank', title: '#', dataIndex: 'rank', width: 56 },
    { key: 'name', title: t('customerValue.customer'), render: (_, r) => <Link to={`/customers/${r.customer_id}`}>{r.name}</Link> },
    { key: 'tier', title: t('customerValue.tier'), render: (_, r) => <RfmTierTag tier={r.tier} /> },
    { key: 'revenue', title: t('customerValue.pareto.revenueOf'), align: 'right', render: (_, r) => formatMoney(r.revenue, currency) },
    { key: 'share', title: t('customerValue.pareto.share'), align: 'right', render: (_, r) => `${r.share}%` },
    { key: 'cumulative', title: t('customerValue.pareto.cumulative'), align: 'right', render: (_, r) => `${r.cumulative_share}%` },
  ];
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Widget
          title={t('customerValue.pareto.title')}
          query={pareto}
          empty={data?.customers === 0}
          emptyText={t('customerValue.pareto.empty')}
          height={340}
          testId="pareto"
        >
          {() =>
            data &&
            option && (
              <Flex vertical gap={8}>
                <Flex gap={24} wrap>
                  <div data-testid="pareto-top-share">
                    <Statistic
                      title={t('customerValue.pareto.topShare', { percent: data.top_percent })}
                      value={data.top_share ?? '—'}
                      suffix={data.top_share ? '%' : undefined}
                    />
                  </div>
                  <Statistic title={t('customerValue.pareto.total')} value={formatMoney(data.total, data.currency)} />
                  <Statistic title={t('customerValue.pareto.buyers')} value={data.customers} />
                </Flex>
                <EChart option={option} height={260} ariaLabel={t('customerValue.pareto.title')} testId="chart-pareto" />
              </Flex>
            )
          }
        </Widget>
      </Col>
      <Col xs={24} lg={12}>
        <Widget
          title={t('customerValue.keyAccounts.title')}
          query={accounts}
          empty={rows.length === 0}
          emptyText={t('customerValue.pareto.empty')}
          height={340}
          testId="key-accounts"
        >
          {() => (
            <>
              <Table size="small" rowKey="customer_id" pagination={false} dataSource={rows} columns={columns} scroll={{ x: 560 }} />
              <LoadMore hasMore={Boolean(accounts.hasNextPage)} loading={accounts.isFetchingNextPage} onLoadMore={() => void accounts.fetchNextPage()} shown={rows.length} />
            </>
          )}
        </Widget>
      </Col>
    </Row>
  );
}

function ChurnView({ who }: { who: Who }) {
  const { t } = useTranslation();
  const churn = useChurnRisk(who);
  const rows = churn.data?.pages.flatMap((p) => p.data) ?? [];
  const columns: TableColumnsType<ChurnRisk> = [
    { key: 'name', title: t('customerValue.customer'), render: (_, r) => <Link to={`/customers/${r.customer_id}`}>{r.name}</Link> },
    { key: 'tier', title: t('customerValue.tier'), render: (_, r) => <RfmTierTag tier={r.tier} /> },
    { key: 'score', title: t('customerValue.score'), dataIndex: 'score', align: 'right' },
    {
      key: 'reasons',
      title: t('customerValue.churn.reasons'),
      render: (_, r) => (
        <Flex vertical gap={4}>
          {r.reasons.map((reason) => (
            <span key={reason}>
              <Tag color={reason === 'overdue_vs_own_gap' ? 'volcano' : 'gold'}>{t(`customerValue.churn.reason.${reason}`)}</Tag>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {reason === 'overdue_vs_own_gap'
                  ? t('customerValue.churn.overdueDetail', {
                      days: r.days_since_purchase,
                      gap: r.median_gap_days,
                      limit: r.overdue_after_days,
                    })
                  : t('customerValue.churn.silentDetail', { days: r.days_since_follow_up })}
              </Typography.Text>
            </span>
          ))}
        </Flex>
      ),
    },
    { key: 'last', title: t('customerValue.churn.lastPurchase'), render: (_, r) => formatDate(r.last_purchase_on) },
    { key: 'followed', title: t('customerValue.churn.lastFollowUp'), render: (_, r) => formatDateTime(r.last_followed_at) ?? t('customerValue.churn.never') },
  ];
  return (
    <Widget
      title={t('customerValue.churn.title')}
      extra={<Typography.Text type="secondary">{t('customerValue.churn.definition')}</Typography.Text>}
      query={churn}
      empty={rows.length === 0}
      emptyText={t('customerValue.churn.empty')}
      height={300}
      testId="churn-risk"
    >
      {() => (
        <>
          <Table size="small" rowKey="customer_id" pagination={false} dataSource={rows} columns={columns} scroll={{ x: 760 }} />
          <LoadMore hasMore={Boolean(churn.hasNextPage)} loading={churn.isFetchingNextPage} onLoadMore={() => void churn.fetchNextPage()} shown={rows.length} />
        </>
      )}
    </Widget>
  );
}

function CohortView({ from, to, who, onRange }: { from: string; to: string; who: Who; onRange: (from: string, to: string) => void }) {
  const { t } = useTranslation();
  const cohorts = useCohorts(from, to, who);
  const data = cohorts.data;
  const option = useMemo(
    () => data && cohortOption(data.cohorts, { month: t('customerValue.cohorts.monthAfter'), retention: t('customerValue.cohorts.retention') }),
    [data, t],
  );
  return (
    <Widget
      title={t('customerValue.cohorts.title')}
      extra={
        <DatePicker.RangePicker
          picker="month"
          allowClear={false}
          value={[dayjs(`${from}-01`), dayjs(`${to}-01`)]}
          onChange={(range) => range?.[0] && range[1] && onRange(range[0].format('YYYY-MM'), range[1].format('YYYY-MM'))}
          aria-label={t('customerValue.cohorts.range')}
        />
      }
      query={cohorts}
      empty={(data?.cohorts ?? []).every((c) => c.customers === 0)}
      emptyText={t('customerValue.cohorts.empty')}
      height={360}
      testId="cohorts"
    >
      {() =>
        data &&
        option && (
          <Flex vertical gap={8}>
            <Typography.Text type="secondary">{t('customerValue.cohorts.definition')}</Typography.Text>
            <EChart option={option} height={Math.max(240, 36 * data.cohorts.length + 90)} ariaLabel={t('customerValue.cohorts.title')} testId="chart-cohorts" />
            <Typography.Text type="secondary">
              {data.cohorts.map((c) => `${c.month}: ${c.customers}`).join(' · ')}
            </Typography.Text>
          </Flex>
        )
      }
    </Widget>
  );
}

export default function CustomerValuePage() {
  const { t } = useTranslation();
  const me = useSession();
  const admin = me.user.role === 'owner' || me.user.role === 'admin';
  const navigate = useNavigate();
  const { tab: tabParam } = useParams();
  const tab: Tab = TABS.includes(tabParam as Tab) ? (tabParam as Tab) : 'rfm';
  const [params, setParams] = useSearchParams();
  const who: Who = { teamId: params.get('team'), ownerId: params.get('owner') };
  const period = params.get('period') || currentPeriod('quarter');
  const monthView = params.get('m');
  const view: MonetaryView = monthView && /^[1-5]$/.test(monthView) ? (Number(monthView) as MonetaryView) : 'all';
  const to = params.get('to') || dayjs().format('YYYY-MM');
  const from = params.get('from') || dayjs(`${to}-01`).subtract(11, 'month').format('YYYY-MM');
  const settings = useRfmSettings();
  const recompute = useRecompute();
  const run = useRfmRun(recompute.data?.id);
  const [toast, toastHolder] = message.useMessage();

  const update = (patch: Record<string, string | null | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(patch)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };
  const setWho = (next: Who) => update({ team: next.teamId, owner: next.ownerId });

  return (
    <>
      {toastHolder}
      <PageHeader
        title={t('customerValue.title')}
        description={t('customerValue.description')}
        extra={
          <>
            {run.data && <RunStatus run={run.data} />}
            {admin && (
              <Button
                icon={<ReloadOutlined />}
                loading={recompute.isPending || run.data?.status === 'queued' || run.data?.status === 'running'}
                onClick={() => {
                  recompute.mutate(undefined, {
                    onError: (error) => {
                      void toast.error(problemMessage(error));
                    },
                  });
                }}
                data-testid="rfm-recompute"
              >
                {t('customerValue.recompute')}
              </Button>
            )}
            <Link to="/settings/rfm">
              <Button icon={<SettingOutlined />}>{t('customerValue.settings.title')}</Button>
            </Link>
          </>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(key) => {
          void navigate({ pathname: `/analytics/customer-value/${key}`, search: params.toString() });
        }}
        items={TABS.map((key) => ({ key, label: t(`customerValue.tabs.${key}`) }))}
      />
      <Flex vertical gap={16}>
        {tab === 'pareto' ? (
          <AnalyticsFilters
            value={{ period, teamId: who.teamId, ownerId: who.ownerId }}
            onChange={(next) => update({ period: next.period, team: next.teamId, owner: next.ownerId })}
          />
        ) : (
          <WhoBar who={who} onChange={setWho} />
        )}
        {tab === 'rfm' && <RfmView who={who} view={view} onView={(v) => update({ m: v === 'all' ? null : String(v) })} />}
        {tab === 'pareto' && <ParetoView period={period} who={who} />}
        {tab === 'churn' && <ChurnView who={who} />}
        {tab === 'cohorts' && <CohortView from={from} to={to} who={who} onRange={(f, l) => update({ from: f, to: l })} />}
        {settings.data && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('customerValue.settingsSummary', {
              sources: settings.data.sources.map((s) => t(`customerValue.sources.${s}`)).join(' + '),
              window: settings.data.window_days,
              currency: settings.data.currency,
              weights: `R×${settings.data.weights.r} F×${settings.data.weights.f} M×${settings.data.weights.m}`,
            })}
          </Typography.Text>
        )}
      </Flex>
    </>
  );
}
