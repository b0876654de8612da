import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Col, Empty, Flex, Popconfirm, Progress, Row, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { AnalyticsFilters } from '../../components/analytics';
import { EChart } from '../../components/charts';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { problemMessage } from '../../lib/problems';
import { canWrite, useSession } from '../auth';
import {
  type Target,
  TARGET_METRICS,
  type TargetMetric,
  type TargetProgress,
  useDeleteTarget,
  useTargetList,
  useTargetProgress,
} from './api';
import { attainmentOption, elapsedPercent, formatValue, gaugeOption } from './progress';
import { usePeriodFilters } from './filters';
import { TargetFormModal } from './TargetFormModal';

const KINDS = ['month', 'quarter', 'year'] as const;
/** Up to this many targets show as gauges by default; more read better as a list. */
const CARDS_UP_TO = 8;
type View = 'cards' | 'list';

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Flex justify="space-between" gap={8} style={{ fontSize: 13 }}>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <Typography.Text data-testid={testId}>{value}</Typography.Text>
    </Flex>
  );
}

/** One target: a gauge of attainment with the pace needle, and the numbers behind it. */
function ProgressCard({ item }: { item: TargetProgress }) {
  const { t } = useTranslation();
  const option = useMemo(() => gaugeOption(item, { pace: t('targets.pace') }), [item, t]);
  const value = (v: string | null) => formatValue(v, item.currency);
  return (
    <Card
      size="small"
      data-testid="target-card"
      title={
        <Flex justify="space-between" align="center" gap={8}>
          <Typography.Text ellipsis>{item.subject_name}</Typography.Text>
          <Tag color={item.on_track ? 'success' : 'warning'} style={{ marginInlineEnd: 0 }}>
            {t(item.on_track ? 'targets.onTrack' : 'targets.behind')}
          </Tag>
        </Flex>
      }
      extra={null}
    >
      <Typography.Text strong>{t(`targets.metrics.${item.metric}`)}</Typography.Text>
      <EChart
        option={option}
        ariaLabel={t('targets.gaugeLabel', { subject: item.subject_name, metric: t(`targets.metrics.${item.metric}`), percent: item.percent })}
        height={150}
        testId={`target-gauge-${item.target_id}`}
      />
      <Figure label={t('targets.actualOfTarget')} value={`${value(item.actual)} / ${value(item.target_value)}`} testId="target-actual" />
      <Figure label={t('targets.remaining')} value={value(item.remaining)} />
      <Figure label={t('targets.expected')} value={value(item.expected_to_date)} />
      <Figure
        label={t('targets.paceNeeded')}
        value={item.pace_needed_per_day === null ? t('targets.periodOver') : t('targets.perDay', { value: value(item.pace_needed_per_day) })}
        testId="target-pace"
      />
      <Figure label={t('targets.daysLeft')} value={t('targets.daysOf', { left: item.days_left, total: item.days_total })} />
    </Card>
  );
}

/** Attainment as a bar, with a tick where a steady pace would be by today. */
function AttainmentBar({ item }: { item: TargetProgress }) {
  const { t } = useTranslation();
  const pace = Math.min(elapsedPercent(item), 100);
  return (
    <Flex align="center" gap={8}>
      <div style={{ position: 'relative', width: 140 }} title={t('targets.paceAt', { percent: pace })}>
        <Progress
          percent={Math.min(Number(item.percent), 100)}
          showInfo={false}
          strokeColor={item.on_track ? '#52c41a' : '#faad14'}
          size="small"
        />
        <span
          aria-hidden
          style={{ position: 'absolute', left: `${pace}%`, top: 2, bottom: 2, width: 2, background: '#1677ff' }}
        />
      </div>
      <Typography.Text style={{ fontSize: 12 }}>{item.percent}%</Typography.Text>
    </Flex>
  );
}

/** Many targets at a glance: one row each, a bar of attainment with the pace marked. */
function ProgressList({ items }: { items: readonly TargetProgress[] }) {
  const { t } = useTranslation();
  return (
    <Table<TargetProgress>
      rowKey="target_id"
      size="small"
      dataSource={[...items]}
      pagination={false}
      scroll={{ x: 'max-content' }}
      data-testid="target-list"
      columns={[
        {
          key: 'subject',
          title: t('targets.fields.subject'),
          render: (_: unknown, i) => (
            <Space size={4}>
              <Tag>{t(`targets.subjectKinds.${i.subject_kind}`)}</Tag>
              {i.subject_name}
            </Space>
          ),
        },
        { key: 'metric', title: t('targets.fields.metric'), render: (_: unknown, i) => t(`targets.metrics.${i.metric}`) },
        {
          key: 'progress',
          title: t('targets.attainment'),
          width: 220,
          render: (_: unknown, i) => <AttainmentBar item={i} />,
        },
        {
          key: 'actual',
          title: t('targets.actualOfTarget'),
          align: 'right',
          render: (_: unknown, i) => `${formatValue(i.actual, i.currency)} / ${formatValue(i.target_value, i.currency)}`,
        },
        {
          key: 'pace',
          title: t('targets.paceNeeded'),
          align: 'right',
          render: (_: unknown, i) =>
            i.pace_needed_per_day === null ? t('targets.periodOver') : t('targets.perDay', { value: formatValue(i.pace_needed_per_day, i.currency) }),
        },
        {
          key: 'status',
          title: t('targets.status'),
          render: (_: unknown, i) => <Tag color={i.on_track ? 'success' : 'warning'}>{t(i.on_track ? 'targets.onTrack' : 'targets.behind')}</Tag>,
        },
      ]}
    />
  );
}

/** 目标: targets of a month, quarter or year with their live progress, and setting them. */
export default function TargetsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useSession();
  const writable = canWrite(me, 'analytics');
  const isAdmin = me.user.role === 'owner' || me.user.role === 'admin';
  const [filters, setFilters] = usePeriodFilters(KINDS);
  const [metric, setMetric] = useState<TargetMetric | null>(null);
  const [chartMetric, setChartMetric] = useState<TargetMetric | null>(null);
  const [editing, setEditing] = useState<Target | 'new' | null>(null);
  const [chosenView, setView] = useState<View | null>(null);
  const progress = useTargetProgress({ period: filters.period, teamId: filters.teamId, ownerId: filters.ownerId, metric });
  const list = useTargetList(filters.period);
  const remove = useDeleteTarget();
  const items = useMemo(() => progress.data?.items ?? [], [progress.data]);
  const targets = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);

  const view: View = chosenView ?? (items.length > CARDS_UP_TO ? 'list' : 'cards');
  const metricsShown = TARGET_METRICS.filter((m) => items.some((i) => i.metric === m));
  const shownMetric = chartMetric && metricsShown.includes(chartMetric) ? chartMetric : metricsShown[0];
  const chartItems = items.filter((i) => i.metric === shownMetric);
  const chartOption = useMemo(
    () => attainmentOption(chartItems, { percent: t('targets.attainment'), pace: t('targets.pace') }),
    [chartItems, t],
  );

  return (
    <>
      <PageHeader
        title={t('targets.title')}
        description={t('targets.description')}
        extra={
          writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="target-create">
              {t('targets.create')}
            </Button>
          )
        }
      />
      <Flex wrap gap={8} style={{ marginBottom: 16 }}>
        <AnalyticsFilters value={filters} onChange={setFilters} kinds={KINDS} />
        <Select<TargetMetric | 'all'>
          aria-label={t('targets.fields.metric')}
          value={metric ?? 'all'}
          style={{ minWidth: 150 }}
          onChange={(next) => setMetric(next === 'all' ? null : next)}
          options={[
            { value: 'all', label: t('targets.allMetrics') },
            ...TARGET_METRICS.map((m) => ({ value: m, label: t(`targets.metrics.${m}`) })),
          ]}
        />
        <Segmented<View>
          value={view}
          onChange={setView}
          options={[
            { value: 'cards', label: t('targets.views.cards') },
            { value: 'list', label: t('targets.views.list') },
          ]}
          data-testid="targets-view"
        />
      </Flex>
      {progress.isError && <ProblemAlert error={progress.error} onRetry={() => void progress.refetch()} />}
      {progress.data && (
        <Typography.Paragraph type="secondary" data-testid="targets-pace-note">
          {t('targets.paceNote', {
            today: progress.data.today,
            percent: items.length ? elapsedPercent(items[0]) : 0,
          })}
        </Typography.Paragraph>
      )}
      {progress.isSuccess && items.length === 0 ? (
        <Card style={{ marginBottom: 16 }}>
          <Empty description={t('targets.empty', { period: filters.period })} />
        </Card>
      ) : view === 'list' ? (
        <Card style={{ marginBottom: 16 }}>
          <ProgressList items={items} />
        </Card>
      ) : (
        <Row gutter={[16, 16]} style={{ marginBottom: 16 }} data-testid="target-cards">
          {items.map((item) => (
            <Col key={item.target_id} xs={24} sm={12} lg={8} xxl={6}>
              <ProgressCard item={item} />
            </Col>
          ))}
        </Row>
      )}
      {chartItems.length > 1 && shownMetric && (
        <Card
          title={t('targets.compare')}
          style={{ marginBottom: 16 }}
          extra={
            metricsShown.length > 1 && (
              <Segmented<TargetMetric>
                size="small"
                value={shownMetric}
                onChange={setChartMetric}
                options={metricsShown.map((m) => ({ value: m, label: t(`targets.metrics.${m}`) }))}
              />
            )
          }
        >
          <EChart
            option={chartOption}
            ariaLabel={t('targets.compareLabel', { metric: t(`targets.metrics.${shownMetric}`) })}
            height={Math.max(160, 40 + chartItems.length * 32)}
            testId="targets-compare-chart"
          />
        </Card>
      )}
      <Card title={t('targets.listTitle', { period: filters.period })}>
        {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
        <Table<Target>
          rowKey="id"
          size="small"
          loading={list.isPending}
          dataSource={targets}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('targets.noTargets') }}
          data-testid="targets-table"
          columns={[
            {
              key: 'subject',
              title: t('targets.fields.subject'),
              render: (_: unknown, row) => (
                <Space size={4}>
                  <Tag>{t(`targets.subjectKinds.${row.subject_kind}`)}</Tag>
                  {row.subject_name}
                </Space>
              ),
            },
            { key: 'metric', title: t('targets.fields.metric'), render: (_: unknown, row) => t(`targets.metrics.${row.metric}`) },
            {
              key: 'value',
              title: t('targets.fields.value'),
              align: 'right',
              render: (_: unknown, row) => formatValue(row.target_value, row.currency),
            },
            ...(writable
              ? [
                  {
                    key: 'actions',
                    title: t('common.actions'),
                    width: 120,
                    render: (_: unknown, row: Target) => (
                      <Space size={0}>
                        <Button
                          type="text"
                          size="small"
                          icon={<EditOutlined />}
                          aria-label={t('common.edit')}
                          onClick={() => setEditing(row)}
                        />
                        <Popconfirm
                          title={t('targets.deleteConfirm')}
                          okText={t('common.delete')}
                          cancelText={t('common.cancel')}
                          onConfirm={() =>
                            remove.mutate(row, {
                              onSuccess: () => void message.success(t('targets.deleted')),
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
        <LoadMore
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
          shown={targets.length}
        />
      </Card>
      {editing && (
        <TargetFormModal
          target={editing === 'new' ? undefined : editing}
          period={filters.period}
          allowWorkspace={isAdmin}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}
