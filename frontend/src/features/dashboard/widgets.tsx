/** The analytics widgets of the home dashboard: each reads one report and draws it. */
import { Flex, Select, Statistic, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { AnalyticsFilterValue } from '../../components/analytics';
import { EChart } from '../../components/charts';
import { formatDateTime } from '../../lib/dates';
import { useSession } from '../auth';
import { formatMoney } from '../contracts/money';
import { usePareto, useRfmDistribution } from '../customer-value/api';
import { useForecast, useFunnel } from '../sales-analytics/api';
import { useTargetProgress } from '../targets/api';
import { dayIn } from '../tasks/myDay';
import { LEADERBOARD_METRICS, useLeaderboard, type LeaderboardMetric } from '../team-analytics/api';
import { useRevenue } from './api';
import { BASE_CURRENCY, forecastStart, revenueYear } from './data';
import { useMetricLabel, useNarrow } from './hooks';
import { MORE } from './layout';
import {
  allZero,
  forecastOption,
  funnelOption,
  leaderboardOption,
  paretoOption,
  revenueOption,
  rfmTiersOption,
} from './options';
import { TargetGauges, TeamTargetsChart } from './TargetViews';
import { Widget } from './Widget';

interface Props {
  filters: AnalyticsFilterValue;
}

const FORECAST_MONTHS = 6;

function who(filters: AnalyticsFilterValue) {
  return { teamId: filters.teamId, ownerId: filters.ownerId };
}

/** The pipeline analytics' other filters, unset on the dashboard (default pipeline, CNY). */
const sales = { pipelineId: null, currency: BASE_CURRENCY, source: null, campaignId: null };

/** The signed-in person's own targets, one gauge each. */
export function MyTargetsWidget({ filters }: Props) {
  const { t } = useTranslation();
  const me = useSession();
  const progress = useTargetProgress({ period: filters.period });
  const mine = useMemo(
    () => (progress.data?.items ?? []).filter((item) => item.subject_kind === 'user' && item.subject_id === me.user.id),
    [progress.data, me.user.id],
  );
  return (
    <Widget
      title={t('dashboard.myTargets.title')}
      more={MORE.targets}
      query={progress}
      empty={mine.length === 0}
      emptyText={t('dashboard.myTargets.empty')}
      height={200}
      testId="widget-my-targets"
    >
      {() => <TargetGauges items={mine} />}
    </Widget>
  );
}

/** Attainment of the team and its people for one metric at a time, against the pace. */
export function TeamTargetsWidget({ filters }: Props) {
  const { t } = useTranslation();
  const progress = useTargetProgress({ period: filters.period, ...who(filters) });
  const [metric, setMetric] = useState('won_amount');
  const items = useMemo(() => (progress.data?.items ?? []).filter((item) => item.subject_kind !== 'workspace'), [progress.data]);
  return (
    <Widget
      title={t('dashboard.teamTargets.title')}
      more={MORE.targets}
      query={progress}
      empty={items.length === 0}
      emptyText={t('dashboard.teamTargets.empty')}
      testId="widget-team-targets"
    >
      {() => <TeamTargetsChart items={items} metric={metric} onMetric={setMetric} />}
    </Widget>
  );
}

/** Won, commit, best case and weighted for six months (from now, within the period), with the target. */
export function ForecastWidget({ filters }: Props) {
  const { t, i18n } = useTranslation();
  const narrow = useNarrow();
  const me = useSession();
  const from = forecastStart(filters.period, dayIn(new Date(), me.workspace.timezone));
  // a month as the period: the forecast starts there
  const forecast = useForecast({ ...sales, period: from, ...who(filters) }, FORECAST_MONTHS);
  const data = forecast.data;
  const option = useMemo(
    () =>
      data &&
      forecastOption(
        data.months,
        data.currency,
        i18n.language,
        {
          won: t('dashboard.forecast.won'),
          commit: t('dashboard.forecast.commit'),
          bestCase: t('dashboard.forecast.bestCase'),
          weighted: t('dashboard.forecast.weighted'),
          target: t('dashboard.forecast.target'),
        },
        narrow,
      ),
    [data, i18n.language, t, narrow],
  );
  const title = t('dashboard.forecast.title');
  const empty = !data || (allZero(data.months.map((m) => m.best_case)) && data.months.every((m) => m.target === null));
  return (
    <Widget title={title} extra={data?.currency} more={MORE.sales} query={forecast} empty={empty} emptyText={t('dashboard.forecast.empty')} testId="widget-forecast">
      {() => option && <EChart option={option} ariaLabel={title} testId="chart-forecast" />}
    </Widget>
  );
}

/** Deals created in the period, stage by stage, with the win rate and the cycle length. */
export function FunnelWidget({ filters }: Props) {
  const { t, i18n } = useTranslation();
  const funnel = useFunnel({ ...sales, period: filters.period, ...who(filters) });
  const data = funnel.data;
  const option = useMemo(
    () =>
      data && funnelOption(data.stages, i18n.language, { entered: t('dashboard.funnel.entered'), conversion: t('dashboard.funnel.conversion') }),
    [data, i18n.language, t],
  );
  const title = t('dashboard.funnel.title');
  return (
    <Widget title={title} more={MORE.sales} query={funnel} empty={!data || data.created === 0} emptyText={t('dashboard.funnel.empty')} testId="widget-funnel">
      {() =>
        data &&
        option && (
          <>
            <EChart option={option} ariaLabel={title} height={230} testId="chart-funnel" />
            <Flex gap={16} wrap justify="space-around" style={{ marginTop: 8 }}>
              <Statistic title={t('dashboard.funnel.created')} value={data.created} />
              <Statistic title={t('dashboard.funnel.won')} value={data.won} />
              <Statistic title={t('dashboard.funnel.lost')} value={data.lost} />
              <Statistic
                title={t('dashboard.funnel.winRate')}
                value={data.win_rate === null ? '—' : `${data.win_rate}%`}
                data-testid="funnel-win-rate"
              />
              <Statistic
                title={t('dashboard.funnel.cycle')}
                value={data.avg_cycle_days === null ? '—' : t('dashboard.funnel.days', { days: data.avg_cycle_days })}
              />
            </Flex>
          </>
        )
      }
    </Widget>
  );
}

/** The top ten of the period by a metric chosen in the card's corner. */
export function LeaderboardWidget({ filters }: Props) {
  const { t, i18n } = useTranslation();
  const metricLabel = useMetricLabel();
  const [metric, setMetric] = useState<LeaderboardMetric>('won_amount');
  const narrow = useNarrow();
  const board = useLeaderboard({ metric, period: filters.period, teamId: filters.teamId, currency: BASE_CURRENCY, limit: 10 });
  const data = board.data;
  const option = useMemo(() => data && leaderboardOption(data.rows, data.currency, i18n.language, narrow), [data, i18n.language, narrow]);
  const title = t('dashboard.leaderboard.title');
  return (
    <Widget
      title={title}
      extra={
        <Select<LeaderboardMetric>
          size="small"
          value={metric}
          onChange={setMetric}
          options={LEADERBOARD_METRICS.map((m) => ({ value: m, label: metricLabel(m) }))}
          style={{ minWidth: 120 }}
          aria-label={t('dashboard.leaderboard.title')}
          data-testid="leaderboard-metric"
        />
      }
      more={MORE.team}
      query={board}
      empty={!data || data.rows.length === 0 || allZero(data.rows.map((r) => r.value))}
      emptyText={t('dashboard.leaderboard.empty')}
      testId="widget-leaderboard"
    >
      {() =>
        data &&
        option && <EChart option={option} ariaLabel={title} height={Math.max(200, 28 * data.rows.length + 24)} testId="chart-leaderboard" />
      }
    </Widget>
  );
}

/** Orders booked and payments received month by month over the year of the period. */
export function RevenueWidget({ filters }: Props) {
  const { t, i18n } = useTranslation();
  const year = revenueYear(filters.period);
  const revenue = useRevenue(year, 'month', who(filters));
  const data = revenue.data;
  const option = useMemo(
    () =>
      data &&
      revenueOption(data.buckets, data.currency, i18n.language, { orders: t('dashboard.revenue.orders'), payments: t('dashboard.revenue.payments') }),
    [data, i18n.language, t],
  );
  const title = t('dashboard.revenue.title', { year });
  return (
    <Widget
      title={title}
      extra={
        data && (
          <Flex gap={16} wrap>
            <Typography.Text type="secondary">
              {t('dashboard.revenue.orders')}: {formatMoney(data.orders_total, data.currency)}
            </Typography.Text>
            <Typography.Text type="secondary" data-testid="revenue-payments-total">
              {t('dashboard.revenue.payments')}: {formatMoney(data.payments_total, data.currency)}
            </Typography.Text>
          </Flex>
        )
      }
      query={revenue}
      empty={!data || allZero([data.orders_total, data.payments_total])}
      emptyText={t('dashboard.revenue.empty')}
      testId="widget-revenue"
    >
      {() => option && <EChart option={option} ariaLabel={title} testId="chart-revenue" />}
    </Widget>
  );
}

/** How the scored customers fall into the value tiers. */
export function RfmWidget({ filters }: Props) {
  const { t, i18n } = useTranslation();
  const rfm = useRfmDistribution(who(filters));
  const data = rfm.data;
  const option = useMemo(
    () =>
      data &&
      rfmTiersOption(data.tiers, data.settings.currency, i18n.language, { customers: t('dashboard.rfm.customers'), amount: t('dashboard.rfm.amount') }),
    [data, i18n.language, t],
  );
  const title = t('dashboard.rfm.title');
  return (
    <Widget
      title={title}
      extra={
        data?.computed_at && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('dashboard.rfm.computedAt', { time: formatDateTime(data.computed_at) })}
          </Typography.Text>
        )
      }
      more={MORE.value}
      query={rfm}
      empty={!data || data.customers === 0}
      emptyText={t('dashboard.rfm.empty')}
      testId="widget-rfm"
    >
      {() => option && <EChart option={option} ariaLabel={title} testId="chart-rfm" />}
    </Widget>
  );
}

/** Revenue concentration: the cumulative curve and the share of the top 20 % of buyers. */
export function ParetoWidget({ filters }: Props) {
  const { t } = useTranslation();
  const pareto = usePareto(filters.period, who(filters));
  const data = pareto.data;
  const option = useMemo(
    () =>
      data &&
      data.top_share !== null &&
      paretoOption(data.curve, data.top_share, {
        customerShare: t('dashboard.pareto.customerShare'),
        revenueShare: t('dashboard.pareto.revenueShare'),
        even: t('dashboard.pareto.even'),
      }),
    [data, t],
  );
  const title = t('dashboard.pareto.title');
  return (
    <Widget
      title={title}
      more={MORE.value}
      query={pareto}
      empty={!data || data.customers === 0 || data.top_share === null}
      emptyText={t('dashboard.pareto.empty')}
      testId="widget-pareto"
    >
      {() =>
        data &&
        option && (
          <>
            <Typography.Text strong data-testid="pareto-top-share">
              {t('dashboard.pareto.topShare', { percent: data.top_percent, share: data.top_share })}
            </Typography.Text>
            <br />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('dashboard.pareto.customers', { count: data.customers, total: formatMoney(data.total, data.currency) })}
            </Typography.Text>
            <EChart option={option} ariaLabel={title} height={230} testId="chart-pareto" />
          </>
        )
      }
    </Widget>
  );
}
