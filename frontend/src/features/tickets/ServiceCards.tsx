import { Card, Col, Flex, Progress, Rate, Row, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ProblemAlert } from '../../components/ProblemAlert';
import { useTicketDashboard } from './api';
import { PRIORITIES, PRIORITY_COLORS } from './statuses';
import type { Dashboard } from './types';

function QueueStats({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  const stats: { key: 'mine_open' | 'unassigned' | 'breaching_soon' | 'breached_open'; to: string; color?: string }[] = [
    { key: 'mine_open', to: '/tickets' },
    { key: 'unassigned', to: '/tickets?queue=unassigned' },
    { key: 'breaching_soon', to: '/tickets?queue=breaching', color: '#d48806' },
    { key: 'breached_open', to: '/tickets?queue=all', color: '#cf1322' },
  ];
  return (
    <Row gutter={[12, 12]}>
      {stats.map(({ key, to, color }) => (
        <Col xs={12} md={6} key={key}>
          <Link to={to}>
            <Statistic
              title={t(`tickets.dashboard.${key}`)}
              value={data[key]}
              valueStyle={color && data[key] > 0 ? { color } : undefined}
              data-testid={`dashboard-${key}`}
            />
          </Link>
        </Col>
      ))}
    </Row>
  );
}

function OpenByPriority({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  const total = PRIORITIES.reduce((sum, p) => sum + (data.open_by_priority[p] ?? 0), 0);
  return (
    <Flex vertical gap={6} data-testid="dashboard-open-by-priority">
      {PRIORITIES.map((p) => {
        const n = data.open_by_priority[p] ?? 0;
        return (
          <Flex key={p} align="center" gap={8}>
            <Tag color={PRIORITY_COLORS[p]} style={{ width: 56, textAlign: 'center' }}>
              {t(`tickets.priorities.${p}`)}
            </Tag>
            <Progress
              percent={total === 0 ? 0 : Math.round((n / total) * 100)}
              format={() => n}
              size="small"
              style={{ flex: 1, margin: 0 }}
              strokeColor={p === 'urgent' ? '#cf1322' : p === 'high' ? '#fa8c16' : undefined}
            />
          </Flex>
        );
      })}
    </Flex>
  );
}

export function CsatSummary({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  const avg = data.csat_average_30_days;
  return (
    <Flex vertical gap={4} data-testid="dashboard-csat">
      <Flex align="baseline" gap={8}>
        <Typography.Text strong style={{ fontSize: 28 }} data-testid="dashboard-csat-average">
          {avg === null ? '—' : avg.toFixed(2)}
        </Typography.Text>
        <Typography.Text type="secondary">/ 5</Typography.Text>
      </Flex>
      <Rate disabled allowHalf value={avg === null ? 0 : Math.round(avg * 2) / 2} />
      <Typography.Text type="secondary" data-testid="dashboard-csat-responses">
        {t('tickets.dashboard.csatResponses', { count: data.csat_responses_30_days })}
      </Typography.Text>
    </Flex>
  );
}

/** The service cards: queues, open tickets by priority, breaches and 30-day satisfaction. */
export function ServiceCards({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const dashboard = useTicketDashboard();
  if (dashboard.isError) return <ProblemAlert error={dashboard.error} onRetry={() => void dashboard.refetch()} />;
  const data = dashboard.data;
  return (
    <Row gutter={[16, 16]} data-testid="service-cards">
      <Col xs={24} xl={compact ? 24 : 12}>
        <Card
          title={t('tickets.dashboard.queues')}
          loading={dashboard.isPending}
          style={{ height: '100%' }}
          extra={compact ? <Link to="/service/overview">{t('tickets.dashboard.more')}</Link> : undefined}
        >
          {data && <QueueStats data={data} />}
        </Card>
      </Col>
      <Col xs={24} md={12} xl={compact ? 12 : 6}>
        <Card title={t('tickets.dashboard.openByPriority')} loading={dashboard.isPending} style={{ height: '100%' }}>
          {data && <OpenByPriority data={data} />}
        </Card>
      </Col>
      <Col xs={24} md={12} xl={compact ? 12 : 6}>
        <Card title={t('tickets.dashboard.csat30')} loading={dashboard.isPending} style={{ height: '100%' }}>
          {data && <CsatSummary data={data} />}
        </Card>
      </Col>
      {!compact && data && (
        <Col xs={24}>
          <Card size="small">
            <Row gutter={[12, 12]}>
              <Col xs={12} md={6}>
                <Statistic title={t('tickets.dashboard.resolved_last_7_days')} value={data.resolved_last_7_days} />
              </Col>
              <Col xs={12} md={6}>
                <Statistic
                  title={t('tickets.dashboard.breaches_last_7_days')}
                  value={data.breaches_last_7_days}
                  valueStyle={data.breaches_last_7_days > 0 ? { color: '#cf1322' } : undefined}
                  data-testid="dashboard-breaches_last_7_days"
                />
              </Col>
              {(['new', 'open', 'pending'] as const).map((status) => (
                <Col xs={8} md={4} key={status}>
                  <Statistic title={t(`tickets.statuses.${status}`)} value={data.open_by_status[status] ?? 0} />
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
      )}
    </Row>
  );
}
