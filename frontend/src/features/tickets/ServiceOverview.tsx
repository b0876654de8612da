import { Card, Col, Flex, Progress, Row, Segmented, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useTeams } from '../teams';
import { useUserDirectory } from '../users';
import { useCsatReport, useSlaReport } from './api';
import { distributionRows } from './csat';
import { ServiceCards } from './ServiceCards';
import type { CsatReportRow, SlaReportRow } from './types';

const RANGES = [7, 30, 90] as const;
type Range = (typeof RANGES)[number];

function since(days: Range): string {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - days + 1);
  return d.toISOString();
}

function percent(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(1)}%`;
}

function Distribution({ row }: { row: CsatReportRow | undefined }) {
  const { t } = useTranslation();
  const rows = distributionRows(row?.distribution ?? {});
  return (
    <Flex vertical gap={6} data-testid="csat-distribution">
      {rows.map(({ score, count, percent: share }) => (
        <Flex key={score} align="center" gap={8}>
          <Typography.Text style={{ width: 64 }}>{t('tickets.csat.score', { score })}</Typography.Text>
          <Progress
            percent={share}
            size="small"
            style={{ flex: 1, margin: 0 }}
            format={() => count}
            strokeColor={score >= 4 ? '#52c41a' : score === 3 ? '#faad14' : '#cf1322'}
            data-testid={`csat-distribution-${score}`}
          />
        </Flex>
      ))}
    </Flex>
  );
}

/** 服务概览: the dashboard cards, satisfaction by agent and SLA compliance by priority. */
export default function ServiceOverview() {
  const { t } = useTranslation();
  const users = useUserDirectory();
  const teams = useTeams();
  const [range, setRange] = useState<Range>(30);
  const after = useMemo(() => since(range), [range]);
  const csatAll = useCsatReport({ group_by: 'none', rated_after: after });
  const csatByAgent = useCsatReport({ group_by: 'assignee', rated_after: after });
  const slaByPriority = useSlaReport({ group_by: 'priority', created_after: after });
  const total = csatAll.data?.[0];
  const name = (id: string | null) => (id ? (users.byId.get(id)?.name ?? teams.data?.find((x) => x.id === id)?.name ?? '…') : t('tickets.unassigned'));

  return (
    <>
      <PageHeader title={t('tickets.overview.title')} description={t('tickets.overview.description')} />
      <Flex vertical gap={16}>
        <ServiceCards />
        <Flex justify="flex-end">
          <Segmented<Range>
            value={range}
            onChange={setRange}
            options={RANGES.map((days) => ({ value: days, label: t('tickets.overview.lastDays', { count: days }) }))}
            data-testid="overview-range"
          />
        </Flex>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={10}>
            <Card title={t('tickets.overview.csat')} style={{ height: '100%' }} data-testid="overview-csat">
              {csatAll.isError && <ProblemAlert error={csatAll.error} />}
              <Flex align="baseline" gap={8} style={{ marginBottom: 12 }}>
                <Typography.Text strong style={{ fontSize: 28 }} data-testid="overview-csat-average">
                  {total?.average == null ? '—' : total.average.toFixed(2)}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {t('tickets.dashboard.csatResponses', { count: total?.responses ?? 0 })}
                </Typography.Text>
              </Flex>
              <Distribution row={total} />
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            <Card title={t('tickets.overview.csatByAgent')} style={{ height: '100%' }} styles={{ body: { padding: 0 } }}>
              {csatByAgent.isError && <ProblemAlert error={csatByAgent.error} />}
              <Table<CsatReportRow>
                size="small"
                rowKey={(row) => row.group ?? 'none'}
                pagination={false}
                loading={csatByAgent.isPending}
                dataSource={(csatByAgent.data ?? []).filter((row) => row.responses > 0)}
                locale={{ emptyText: t('tickets.overview.noRatings') }}
                data-testid="overview-csat-agents"
                columns={[
                  { key: 'agent', title: t('tickets.fields.assignee'), render: (_: unknown, row) => name(row.group) },
                  { key: 'responses', title: t('tickets.overview.responses'), dataIndex: 'responses', align: 'right', width: 90 },
                  {
                    key: 'average',
                    title: t('tickets.overview.average'),
                    align: 'right',
                    width: 90,
                    render: (_: unknown, row) => (row.average === null ? '—' : row.average.toFixed(2)),
                  },
                  {
                    key: 'share',
                    title: t('tickets.overview.satisfied'),
                    width: 160,
                    render: (_: unknown, row) => {
                      const happy = (row.distribution['4'] ?? 0) + (row.distribution['5'] ?? 0);
                      return <Progress percent={row.responses ? Math.round((happy / row.responses) * 100) : 0} size="small" />;
                    },
                  },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24}>
            <Card title={t('tickets.overview.sla')} styles={{ body: { padding: 0 } }}>
              {slaByPriority.isError && <ProblemAlert error={slaByPriority.error} />}
              <Table<SlaReportRow>
                size="small"
                rowKey={(row) => row.group ?? 'none'}
                pagination={false}
                loading={slaByPriority.isPending}
                dataSource={slaByPriority.data ?? []}
                locale={{ emptyText: t('tickets.empty') }}
                data-testid="overview-sla"
                columns={[
                  {
                    key: 'priority',
                    title: t('tickets.fields.priority'),
                    render: (_: unknown, row) => (row.group ? t(`tickets.priorities.${row.group}`, { defaultValue: row.group }) : '—'),
                  },
                  { key: 'tickets', title: t('tickets.overview.created'), dataIndex: 'tickets', align: 'right' },
                  {
                    key: 'fr',
                    title: t('tickets.overview.firstResponseCompliance'),
                    align: 'right',
                    render: (_: unknown, row) => `${percent(row.first_response_compliance)} (${row.first_response_met}/${row.first_response_met + row.first_response_breached})`,
                  },
                  {
                    key: 'res',
                    title: t('tickets.overview.resolutionCompliance'),
                    align: 'right',
                    render: (_: unknown, row) => `${percent(row.resolution_compliance)} (${row.resolution_met}/${row.resolution_met + row.resolution_breached})`,
                  },
                ]}
              />
            </Card>
          </Col>
        </Row>
      </Flex>
    </>
  );
}
