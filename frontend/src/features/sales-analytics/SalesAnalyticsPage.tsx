/**
 * 销售分析: the funnel of the deals created in the period, sales-cycle length, the forecast by
 * expected close month against the target, pipeline coverage, lost reasons, campaign ROI and
 * the deals rotting in their stage. Filters live in the URL, so a view can be shared.
 */
import { Card, Col, Descriptions, Flex, Input, Row, Select, Space, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import { AnalyticsFilters, type AnalyticsFilterValue } from '../../components/analytics';
import { EChart } from '../../components/charts';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useCampaignDirectory } from '../campaigns/api';
import { formatMoney } from '../contracts/money';
import { localName } from '../dashboard/options';
import { Widget } from '../dashboard/Widget';
import { usePipelines } from '../pipeline/api';
import {
  useCampaignRoi,
  useCoverage,
  useForecast,
  useFunnel,
  useLostReasonsReport,
  useSalesCycle,
  useStaleDeals,
} from './api';
import {
  campaignRoiOption,
  coverageGaugeOption,
  cycleStagesOption,
  forecastChartOption,
  forecastMonths,
  funnelChartOption,
  lostReasonsOption,
} from './options';
import { CURRENCIES, filtersFrom } from './filters';
import type { CampaignRoiRow, SalesFilters, StaleDeal } from './types';

function FunnelCard({ filters }: { filters: SalesFilters }) {
  const { t, i18n } = useTranslation();
  const funnel = useFunnel(filters);
  const data = funnel.data;
  const option = useMemo(
    () =>
      data &&
      funnelChartOption(data.stages, i18n.language, {
        entered: t('salesAnalytics.funnel.entered'),
        conversion: t('salesAnalytics.funnel.conversion'),
      }),
    [data, i18n.language, t],
  );
  return (
    <Widget
      title={t('salesAnalytics.funnel.title')}
      extra={<Typography.Text type="secondary">{t('salesAnalytics.funnel.cohort')}</Typography.Text>}
      query={funnel}
      empty={data?.created === 0}
      emptyText={t('salesAnalytics.funnel.empty')}
      height={320}
      testId="sales-funnel"
    >
      {() =>
        data &&
        option && (
          <Row gutter={16}>
            <Col xs={24} md={14}>
              <EChart option={option} height={300} ariaLabel={t('salesAnalytics.funnel.title')} testId="chart-funnel" />
            </Col>
            <Col xs={24} md={10}>
              <Row gutter={[8, 12]}>
                <Col span={12}>
                  <Statistic title={t('salesAnalytics.funnel.created')} value={data.created} />
                </Col>
                <Col span={12}>
                  <div data-testid="funnel-win-rate">
                    <Statistic title={t('salesAnalytics.funnel.winRate')} value={data.win_rate ?? '—'} suffix={data.win_rate ? '%' : undefined} />
                  </div>
                </Col>
                <Col span={8}>
                  <Statistic title={t('salesAnalytics.funnel.won')} value={data.won} valueStyle={{ color: '#389e0d' }} />
                </Col>
                <Col span={8}>
                  <Statistic title={t('salesAnalytics.funnel.lost')} value={data.lost} valueStyle={{ color: '#cf1322' }} />
                </Col>
                <Col span={8}>
                  <Statistic title={t('salesAnalytics.funnel.open')} value={data.open} />
                </Col>
                <Col span={12}>
                  <Statistic
                    title={t('salesAnalytics.funnel.overall')}
                    value={data.overall_conversion ?? '—'}
                    suffix={data.overall_conversion ? '%' : undefined}
                  />
                </Col>
                <Col span={12}>
                  <Statistic
                    title={t('salesAnalytics.funnel.cycle')}
                    value={data.avg_cycle_days ?? '—'}
                    suffix={data.avg_cycle_days ? t('salesAnalytics.days') : undefined}
                  />
                </Col>
                <Col span={24}>
                  <Typography.Text type="secondary">{t('salesAnalytics.funnel.wonAmount')}: </Typography.Text>
                  <span data-testid="funnel-won-amount">
                    {data.won_amount.length === 0 ? '—' : data.won_amount.map((a) => formatMoney(a.amount, a.currency)).join(' · ')}
                  </span>
                </Col>
              </Row>
            </Col>
          </Row>
        )
      }
    </Widget>
  );
}

function CoverageCard({ filters }: { filters: SalesFilters }) {
  const { t } = useTranslation();
  const coverage = useCoverage(filters);
  const data = coverage.data;
  const option = useMemo(() => data && coverageGaugeOption(data.coverage, { title: t('salesAnalytics.coverage.ratio') }), [data, t]);
  return (
    <Widget title={t('salesAnalytics.coverage.title')} query={coverage} emptyText="" height={320} testId="sales-coverage">
      {() =>
        data &&
        option && (
          <>
            {data.target === null ? (
              <Typography.Paragraph type="secondary" data-testid="coverage-no-target">
                {t('salesAnalytics.coverage.noTarget')}
              </Typography.Paragraph>
            ) : (
              <EChart option={option} height={180} ariaLabel={t('salesAnalytics.coverage.title')} testId="chart-coverage" />
            )}
            <Descriptions size="small" column={1} colon={false}>
              <Descriptions.Item label={t('salesAnalytics.coverage.target')}>{formatMoney(data.target, data.currency)}</Descriptions.Item>
              <Descriptions.Item label={t('salesAnalytics.coverage.won')}>{formatMoney(data.won, data.currency)}</Descriptions.Item>
              <Descriptions.Item label={t('salesAnalytics.coverage.remaining')}>{formatMoney(data.remaining, data.currency)}</Descriptions.Item>
              <Descriptions.Item label={t('salesAnalytics.coverage.open', { count: data.open_deals })}>
                <span data-testid="coverage-open">{formatMoney(data.open_amount, data.currency)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('salesAnalytics.coverage.weighted')}>
                {formatMoney(data.weighted, data.currency)}
                {data.weighted_coverage !== null && <Typography.Text type="secondary"> ({data.weighted_coverage}×)</Typography.Text>}
              </Descriptions.Item>
            </Descriptions>
          </>
        )
      }
    </Widget>
  );
}

function ForecastCard({ filters }: { filters: SalesFilters }) {
  const { t, i18n } = useTranslation();
  const forecast = useForecast(filters, forecastMonths(filters.period));
  const data = forecast.data;
  const option = useMemo(
    () =>
      data &&
      forecastChartOption(data.months, data.currency, i18n.language, {
        won: t('salesAnalytics.forecast.won'),
        commit: t('salesAnalytics.forecast.commit', { percent: data.commit_probability }),
        bestCase: t('salesAnalytics.forecast.bestCase'),
        weighted: t('salesAnalytics.forecast.weighted'),
        target: t('salesAnalytics.forecast.target'),
      }),
    [data, i18n.language, t],
  );
  return (
    <Widget
      title={t('salesAnalytics.forecast.title')}
      extra={
        data && data.past_due_open.deals > 0 ? (
          <Tag color="orange" data-testid="forecast-past-due">
            {t('salesAnalytics.forecast.pastDue', {
              count: data.past_due_open.deals,
              amount: formatMoney(data.past_due_open.amount, data.past_due_open.currency),
            })}
          </Tag>
        ) : null
      }
      query={forecast}
      emptyText=""
      height={300}
      testId="sales-forecast"
    >
      {() => option && <EChart option={option} height={300} ariaLabel={t('salesAnalytics.forecast.title')} testId="chart-forecast" />}
    </Widget>
  );
}

function CycleCard({ filters }: { filters: SalesFilters }) {
  const { t, i18n } = useTranslation();
  const cycle = useSalesCycle(filters);
  const data = cycle.data;
  const option = useMemo(
    () => data && cycleStagesOption(data, i18n.language, { days: t('salesAnalytics.days'), deals: t('salesAnalytics.cycle.deals') }),
    [data, i18n.language, t],
  );
  return (
    <Widget
      title={t('salesAnalytics.cycle.title')}
      query={cycle}
      empty={data?.won_deals === 0}
      emptyText={t('salesAnalytics.cycle.empty')}
      height={260}
      testId="sales-cycle"
    >
      {() =>
        data &&
        option && (
          <>
            <Row gutter={8}>
              {(
                [
                  ['avg', data.avg_days],
                  ['median', data.median_days],
                  ['min', data.min_days],
                  ['max', data.max_days],
                ] as const
              ).map(([key, value]) => (
                <Col span={6} key={key}>
                  <Statistic title={t(`salesAnalytics.cycle.${key}`)} value={value ?? '—'} />
                </Col>
              ))}
            </Row>
            <Typography.Text type="secondary">
              {t('salesAnalytics.cycle.summary', { count: data.won_deals })}
            </Typography.Text>
            <EChart option={option} height={180} ariaLabel={t('salesAnalytics.cycle.title')} testId="chart-cycle" />
          </>
        )
      }
    </Widget>
  );
}

function LostReasonsCard({ filters }: { filters: SalesFilters }) {
  const { t, i18n } = useTranslation();
  const report = useLostReasonsReport(filters);
  const data = report.data;
  const option = useMemo(
    () => data && lostReasonsOption(data.rows, i18n.language, { none: t('salesAnalytics.lost.none'), deals: t('salesAnalytics.lost.deals') }),
    [data, i18n.language, t],
  );
  return (
    <Widget
      title={t('salesAnalytics.lost.title')}
      extra={data ? <Typography.Text type="secondary">{t('salesAnalytics.lost.total', { count: data.lost })}</Typography.Text> : null}
      query={report}
      empty={data?.lost === 0}
      emptyText={t('salesAnalytics.lost.empty')}
      height={260}
      testId="sales-lost-reasons"
    >
      {() => option && <EChart option={option} height={Math.max(160, (data?.rows.length ?? 0) * 36)} ariaLabel={t('salesAnalytics.lost.title')} testId="chart-lost" />}
    </Widget>
  );
}

function CampaignRoiCard({ filters }: { filters: SalesFilters }) {
  const { t } = useTranslation();
  const report = useCampaignRoi(filters);
  const data = report.data;
  const option = useMemo(
    () => data && campaignRoiOption(data.rows, { roi: t('salesAnalytics.roi.roi'), breakEven: t('salesAnalytics.roi.breakEven') }),
    [data, t],
  );
  const columns: TableColumnsType<CampaignRoiRow> = [
    { key: 'name', title: t('salesAnalytics.roi.campaign'), dataIndex: 'name', ellipsis: true },
    { key: 'leads', title: t('salesAnalytics.roi.leads'), dataIndex: 'leads', align: 'right', width: 70 },
    { key: 'deals', title: t('salesAnalytics.roi.deals'), align: 'right', width: 90, render: (_: unknown, r) => `${r.won_deals} / ${r.deals}` },
    { key: 'won', title: t('salesAnalytics.roi.won'), align: 'right', render: (_: unknown, r) => formatMoney(r.won_amount, r.currency) },
    { key: 'cost', title: t('salesAnalytics.roi.cost'), align: 'right', render: (_: unknown, r) => formatMoney(r.actual_cost, r.currency) },
    {
      key: 'roi',
      title: t('salesAnalytics.roi.roi'),
      align: 'right',
      width: 80,
      render: (_: unknown, r) => (r.roi === null ? '—' : <Typography.Text strong>{r.roi}×</Typography.Text>),
    },
  ];
  const costed = data?.rows.filter((r) => r.roi !== null).length ?? 0;
  return (
    <Widget
      title={t('salesAnalytics.roi.title')}
      query={report}
      empty={data?.rows.length === 0}
      emptyText={t('salesAnalytics.roi.empty')}
      height={220}
      testId="sales-campaign-roi"
    >
      {() =>
        data && (
          <Row gutter={16}>
            {option && costed > 0 && (
              <Col xs={24} lg={10}>
                <EChart option={option} height={Math.max(140, costed * 36)} ariaLabel={t('salesAnalytics.roi.title')} testId="chart-roi" />
              </Col>
            )}
            <Col xs={24} lg={costed > 0 ? 14 : 24}>
              <Table<CampaignRoiRow>
                size="small"
                rowKey="campaign_id"
                columns={columns}
                dataSource={data.rows}
                pagination={false}
                scroll={{ x: 520 }}
                data-testid="roi-table"
              />
            </Col>
          </Row>
        )
      }
    </Widget>
  );
}

function StaleDealsCard({ filters }: { filters: SalesFilters }) {
  const { t, i18n } = useTranslation();
  const stale = useStaleDeals(filters);
  const rows = useMemo(() => stale.data?.pages.flatMap((p) => p.data) ?? [], [stale.data]);
  const columns: TableColumnsType<StaleDeal> = [
    {
      key: 'name',
      title: t('salesAnalytics.stale.deal'),
      ellipsis: true,
      render: (_: unknown, d) => <Link to={`/opportunities/${d.id}`}>{d.name}</Link>,
    },
    { key: 'customer', title: t('salesAnalytics.stale.customer'), dataIndex: 'customer_name', ellipsis: true },
    {
      key: 'stage',
      title: t('salesAnalytics.stale.stage'),
      render: (_: unknown, d) => localName({ name_zh: d.stage_name_zh, name_en: d.stage_name_en }, i18n.language),
    },
    { key: 'owner', title: t('salesAnalytics.stale.owner'), dataIndex: 'owner_name', ellipsis: true },
    { key: 'amount', title: t('salesAnalytics.stale.amount'), align: 'right', render: (_: unknown, d) => formatMoney(d.amount, d.currency) },
    {
      key: 'days',
      title: t('salesAnalytics.stale.days'),
      align: 'right',
      render: (_: unknown, d) => (
        <Space size={4}>
          <span>{d.days_in_stage}</span>
          <Tag color="red">{t('salesAnalytics.stale.overdue', { count: d.days_overdue })}</Tag>
        </Space>
      ),
    },
  ];
  return (
    <Card size="small" title={t('salesAnalytics.stale.title')} data-testid="sales-stale-deals">
      {stale.isError && <ProblemAlert error={stale.error} onRetry={() => void stale.refetch()} />}
      <Table<StaleDeal>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={stale.isPending}
        pagination={false}
        scroll={{ x: 720 }}
        locale={{ emptyText: t('salesAnalytics.stale.empty') }}
      />
      <LoadMore hasMore={!!stale.hasNextPage} loading={stale.isFetchingNextPage} onLoadMore={() => void stale.fetchNextPage()} shown={rows.length} />
    </Card>
  );
}

export default function SalesAnalyticsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const pipelines = usePipelines();
  const campaigns = useCampaignDirectory();

  const update = (patch: Record<string, string | null | undefined>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(patch)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  const onFilters = (value: AnalyticsFilterValue) => update({ period: value.period, team: value.teamId, owner: value.ownerId });

  return (
    <>
      <PageHeader title={t('salesAnalytics.title')} description={t('salesAnalytics.description')} />
      <Flex wrap gap={8} style={{ marginBottom: 16 }} data-testid="sales-filters">
        <AnalyticsFilters value={{ period: filters.period, teamId: filters.teamId, ownerId: filters.ownerId }} onChange={onFilters} />
        <Select
          aria-label={t('salesAnalytics.filters.pipeline')}
          placeholder={t('salesAnalytics.filters.defaultPipeline')}
          allowClear
          style={{ minWidth: 180 }}
          value={filters.pipelineId ?? undefined}
          onChange={(value?: string) => update({ pipeline: value })}
          options={(pipelines.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
        />
        <Select
          aria-label={t('salesAnalytics.filters.currency')}
          style={{ width: 96 }}
          value={filters.currency}
          onChange={(value: string) => update({ currency: value === 'CNY' ? null : value })}
          options={CURRENCIES.map((c) => ({ value: c, label: c }))}
        />
        <Select
          aria-label={t('salesAnalytics.filters.campaign')}
          placeholder={t('salesAnalytics.filters.allCampaigns')}
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ minWidth: 160 }}
          value={filters.campaignId ?? undefined}
          onChange={(value?: string) => update({ campaign: value })}
          options={campaigns.campaigns.map((c) => ({ value: c.id, label: c.name }))}
        />
        <Input.Search
          aria-label={t('salesAnalytics.filters.source')}
          placeholder={t('salesAnalytics.filters.source')}
          allowClear
          defaultValue={filters.source ?? ''}
          style={{ width: 160 }}
          onSearch={(value) => update({ source: value.trim() || null })}
        />
      </Flex>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {t('salesAnalytics.filters.hint')}
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <FunnelCard filters={filters} />
        </Col>
        <Col xs={24} xl={8}>
          <CoverageCard filters={filters} />
        </Col>
        <Col xs={24}>
          <ForecastCard filters={filters} />
        </Col>
        <Col xs={24} lg={12}>
          <CycleCard filters={filters} />
        </Col>
        <Col xs={24} lg={12}>
          <LostReasonsCard filters={filters} />
        </Col>
        <Col xs={24}>
          <CampaignRoiCard filters={filters} />
        </Col>
        <Col xs={24}>
          <StaleDealsCard filters={filters} />
        </Col>
      </Row>
    </>
  );
}
