import { TrophyFilled } from '@ant-design/icons';
import { Card, Flex, Segmented, Select, Space, Table, Tabs, Typography } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { AnalyticsFilters, PERIOD_KINDS, type AnalyticsFilterValue } from '../../components/analytics';
import { EChart } from '../../components/charts';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePeriodFilters } from '../targets/filters';
import { formatValue } from '../targets/progress';
import {
  type ActivityStatsRow,
  LEADERBOARD_METRICS,
  type LeaderboardMetric,
  type LeaderboardRow,
  MONEY_LEADERBOARDS,
  useActivityStats,
  useLeaderboard,
} from './api';
import { ACTIVITY_FIELDS, activityOption, leaderboardOption } from './options';

const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD'];
const MEDALS = ['#d4a017', '#9ea7b3', '#b87333'];

function LeaderboardTab({ filters }: { filters: AnalyticsFilterValue }) {
  const { t } = useTranslation();
  const [metric, setMetric] = useState<LeaderboardMetric>('won_amount');
  const [currency, setCurrency] = useState('CNY');
  const money = MONEY_LEADERBOARDS.has(metric);
  const board = useLeaderboard({ metric, period: filters.period, teamId: filters.teamId, currency, limit: 20 });
  const rows = useMemo(() => board.data?.rows ?? [], [board.data]);
  // what the rows were ranked by: while another metric loads, the previous board stays as it was
  const shown = board.data?.metric ?? metric;
  const unit = board.data?.currency ?? null;
  const option = useMemo(
    () => leaderboardOption(rows, t(`teamAnalytics.metrics.${shown}`), (value) => formatValue(String(value), unit)),
    [rows, shown, unit, t],
  );
  const empty = rows.every((r) => Number(r.value) === 0);
  return (
    <>
      <Flex wrap gap={8} style={{ marginBottom: 16 }}>
        <Segmented<LeaderboardMetric>
          value={metric}
          onChange={setMetric}
          options={LEADERBOARD_METRICS.map((m) => ({ value: m, label: t(`teamAnalytics.metrics.${m}`) }))}
          data-testid="leaderboard-metric"
        />
        {money && (
          <Select
            aria-label={t('teamAnalytics.currency')}
            value={currency}
            onChange={setCurrency}
            style={{ width: 90 }}
            options={CURRENCIES.map((c) => ({ value: c, label: c }))}
          />
        )}
      </Flex>
      {board.isError && <ProblemAlert error={board.error} onRetry={() => void board.refetch()} />}
      <EChart
        option={option}
        ariaLabel={t('teamAnalytics.leaderboardLabel', { metric: t(`teamAnalytics.metrics.${shown}`), period: filters.period })}
        height={Math.max(200, 40 + rows.length * 28)}
        empty={board.isSuccess && empty}
        emptyText={t('teamAnalytics.emptyPeriod')}
        testId="leaderboard-chart"
      />
      <Table<LeaderboardRow>
        rowKey="user_id"
        size="small"
        loading={board.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        style={{ marginTop: 16 }}
        data-testid="leaderboard-table"
        columns={[
          {
            key: 'rank',
            title: t('teamAnalytics.rank'),
            width: 70,
            render: (_: unknown, r) =>
              r.rank <= 3 && Number(r.value) > 0 ? (
                <Space size={4} data-testid={`medal-${r.rank}`}>
                  <TrophyFilled style={{ color: MEDALS[r.rank - 1] }} />
                  {r.rank}
                </Space>
              ) : (
                r.rank
              ),
          },
          { key: 'user', title: t('teamAnalytics.person'), dataIndex: 'user_name' },
          { key: 'team', title: t('teamAnalytics.team'), dataIndex: 'team_name' },
          {
            key: 'value',
            title: t(`teamAnalytics.metrics.${shown}`),
            align: 'right',
            render: (_: unknown, r) => formatValue(r.value, unit),
          },
          ...(shown === 'won_amount' || shown === 'payments'
            ? [{ key: 'count', title: t(`teamAnalytics.counts.${shown}`), align: 'right' as const, dataIndex: 'count' }]
            : []),
        ]}
      />
    </>
  );
}

function ActivityTab({ filters }: { filters: AnalyticsFilterValue }) {
  const { t } = useTranslation();
  const kindLabel = useCallback((kind: (typeof ACTIVITY_FIELDS)[number][1]) => t(`activityKinds.${kind}`), [t]);
  const stats = useActivityStats(filters.period, filters.teamId, filters.ownerId);
  const rows = useMemo(() => stats.data?.rows ?? [], [stats.data]);
  const option = useMemo(() => activityOption(rows, kindLabel), [rows, kindLabel]);
  const totals = stats.data?.totals;
  return (
    <>
      {stats.isError && <ProblemAlert error={stats.error} onRetry={() => void stats.refetch()} />}
      <EChart
        option={option}
        ariaLabel={t('teamAnalytics.activityLabel', { period: filters.period })}
        height={Math.max(220, 60 + rows.length * 28)}
        empty={stats.isSuccess && (totals?.total ?? 0) === 0}
        emptyText={t('teamAnalytics.emptyPeriod')}
        testId="activity-chart"
      />
      <Table<ActivityStatsRow>
        rowKey="user_id"
        size="small"
        loading={stats.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        style={{ marginTop: 16 }}
        data-testid="activity-table"
        columns={[
          { key: 'user', title: t('teamAnalytics.person'), dataIndex: 'user_name', fixed: 'left' },
          { key: 'team', title: t('teamAnalytics.team'), dataIndex: 'team_name' },
          ...ACTIVITY_FIELDS.map(([field, kind]) => ({
            key: field,
            title: kindLabel(kind),
            dataIndex: field,
            align: 'right' as const,
          })),
          { key: 'total', title: t('teamAnalytics.total'), dataIndex: 'total', align: 'right' },
          { key: 'customers', title: t('teamAnalytics.customersTouched'), dataIndex: 'customers_touched', align: 'right' },
        ]}
        summary={() =>
          totals ? (
            <Table.Summary.Row data-testid="activity-totals">
              <Table.Summary.Cell index={0} colSpan={2}>
                <Typography.Text strong>{t('teamAnalytics.totals')}</Typography.Text>
              </Table.Summary.Cell>
              {ACTIVITY_FIELDS.map(([field], i) => (
                <Table.Summary.Cell key={field} index={i + 2} align="right">
                  {totals[field]}
                </Table.Summary.Cell>
              ))}
              <Table.Summary.Cell index={9} align="right">
                <Typography.Text strong>{totals.total}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={10} align="right">
                {totals.customers_touched}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </>
  );
}

/** 团队分析: who leads this period, and how each rep follows up their customers. */
export default function TeamAnalyticsPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = usePeriodFilters(PERIOD_KINDS);
  const [tab, setTab] = useState('leaderboard');
  return (
    <>
      <PageHeader title={t('teamAnalytics.title')} description={t('teamAnalytics.description')} />
      <div style={{ marginBottom: 16 }}>
        <AnalyticsFilters value={filters} onChange={setFilters} showOwner={tab === 'activity'} />
      </div>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'leaderboard', label: t('teamAnalytics.leaderboard'), children: <LeaderboardTab filters={filters} /> },
            { key: 'activity', label: t('teamAnalytics.activity'), children: <ActivityTab filters={filters} /> },
          ]}
        />
      </Card>
    </>
  );
}
