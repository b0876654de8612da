import { Col, Flex, Row, Segmented, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { EChart } from '../../components/charts';
import { metricsOf, useMetricLabel, useNarrow } from './hooks';
import { targetGaugeOption, targetValue, teamTargetsOption, type TargetItem } from './options';

export interface ProgressItem extends TargetItem {
  target_id: string;
  subject_name: string;
  remaining: string;
  pace_needed_per_day: string | null;
}

function TargetGauge({ item }: { item: ProgressItem }) {
  const { t } = useTranslation();
  const metricLabel = useMetricLabel();
  const title = metricLabel(item.metric);
  const detail = [
    t('dashboard.target.actual', { value: targetValue(item.actual, item.currency) }),
    t('dashboard.target.of', { value: targetValue(item.target_value, item.currency) }),
  ].join(' · ');
  const option = useMemo(() => targetGaugeOption(item, { title, detail }), [item, title, detail]);
  const reached = Number(item.remaining) <= 0;
  return (
    <Flex vertical align="center" data-testid="target-gauge" data-metric={item.metric}>
      <EChart option={option} ariaLabel={`${title} ${item.percent}%`} height={170} testId={`chart-target-${item.metric}`} />
      <Typography.Text style={{ fontSize: 12 }}>{detail}</Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {reached
          ? t('dashboard.target.done')
          : [
              t('dashboard.target.remaining', { value: targetValue(item.remaining, item.currency) }),
              t('dashboard.target.daysLeft', { days: item.days_left }),
              ...(item.pace_needed_per_day
                ? [t('dashboard.target.paceNeeded', { value: targetValue(item.pace_needed_per_day, item.currency) })]
                : []),
            ].join(' · ')}
      </Typography.Text>
    </Flex>
  );
}

/** One gauge per target of the person, side by side (two a row on a phone). */
export function TargetGauges({ items }: { items: readonly ProgressItem[] }) {
  return (
    <Row gutter={[16, 16]}>
      {items.map((item) => (
        <Col key={item.target_id} xs={24} sm={12} xl={6}>
          <TargetGauge item={item} />
        </Col>
      ))}
    </Row>
  );
}

/** Attainment of every subject for one metric (chosen above the chart). */
export function TeamTargetsChart({
  items,
  metric,
  onMetric,
}: {
  items: readonly ProgressItem[];
  metric: string;
  onMetric: (metric: string) => void;
}) {
  const { t } = useTranslation();
  const metricLabel = useMetricLabel();
  const metrics = metricsOf(items);
  const shown = metrics.includes(metric) ? metric : metrics[0];
  const narrow = useNarrow();
  const rows = items.filter((i) => i.metric === shown);
  const option = teamTargetsOption(rows, { percent: t('dashboard.teamTargets.percent'), pace: t('dashboard.teamTargets.pace') }, narrow);
  const height = Math.max(180, 40 + rows.length * 30);
  return (
    <>
      {metrics.length > 1 && (
        <Segmented
          size="small"
          value={shown}
          onChange={(value) => onMetric(String(value))}
          options={metrics.map((m) => ({ value: m, label: metricLabel(m) }))}
          style={{ marginBottom: 8, maxWidth: '100%', overflowX: 'auto' }}
          data-testid="team-targets-metric"
        />
      )}
      <EChart option={option} ariaLabel={t('dashboard.teamTargets.title')} height={height} testId="chart-team-targets" />
    </>
  );
}
