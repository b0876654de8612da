/** One report: its numbers, a team's per member, the workbook and a fresh computation. */
import { ArrowLeftOutlined, DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Row, Skeleton, Space, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useGenerateReport, useReport, xlsxUrl } from './api';
import { COUNT_KEYS, MONEY_KEYS, amountIn, currenciesOf, moneyText } from './metrics';
import type { Report, ReportMember } from './types';
import { formatMoney } from '../contracts/money';

function MembersTable({ report }: { report: Report }) {
  const { t } = useTranslation();
  const members = report.content.members;
  const columns = useMemo(() => {
    const out: TableColumnsType<ReportMember> = [
      { key: 'name', title: t('reports.member'), dataIndex: 'name', fixed: 'left', width: 120, ellipsis: true },
      ...COUNT_KEYS.map((key) => ({
        key,
        title: t(`reports.metrics.${key}`),
        dataIndex: key,
        align: 'right' as const,
        width: 96,
      })),
    ];
    for (const key of MONEY_KEYS) {
      for (const currency of currenciesOf(members, key)) {
        out.push({
          key: `${key}-${currency}`,
          title: `${t(`reports.metrics.${key}`)} (${currency})`,
          align: 'right',
          width: 140,
          render: (_: unknown, m: ReportMember) => formatMoney(amountIn(m, key, currency), currency),
        });
      }
    }
    return out;
  }, [members, t]);
  return (
    <Table<ReportMember>
      size="small"
      rowKey="user_id"
      columns={columns}
      dataSource={members}
      pagination={false}
      scroll={{ x: 'max-content' }}
      data-testid="report-members"
    />
  );
}

export default function ReportViewer() {
  const { t, i18n } = useTranslation();
  const { reportId = '' } = useParams();
  const report = useReport(reportId);
  const regenerate = useGenerateReport();
  const data = report.data;

  if (report.isError) return <ProblemAlert error={report.error} onRetry={() => void report.refetch()} />;
  if (!data) return <Skeleton active />;
  const totals = data.content.totals;

  return (
    <>
      <PageHeader
        title={
          <Space size={8} wrap>
            <Link to="/reports" aria-label={t('reports.back')}>
              <ArrowLeftOutlined />
            </Link>
            <span data-testid="report-title">
              {t('reports.heading', { name: data.subject_name, kind: t(`reports.kinds.${data.kind}`), period: data.period })}
            </span>
            {data.partial && <Tag color="orange">{t('reports.partial')}</Tag>}
          </Space>
        }
        description={t('reports.meta', {
          start: data.period_start,
          end: dayjs(data.period_end).subtract(1, 'day').format('YYYY-MM-DD'),
          zone: data.time_zone,
          at: dayjs(data.generated_at).format('YYYY-MM-DD HH:mm'),
        })}
        extra={
          <>
            <Button
              icon={<ReloadOutlined />}
              loading={regenerate.isPending}
              onClick={() =>
                regenerate.mutate({ kind: data.kind, period: data.period, subject_kind: data.subject_kind, subject_id: data.subject_id })
              }
              data-testid="report-regenerate"
            >
              {t('reports.regenerate')}
            </Button>
            <Button type="primary" icon={<DownloadOutlined />} href={xlsxUrl(data.id, i18n.language)} data-testid="report-xlsx">
              {t('reports.download')}
            </Button>
          </>
        }
      />
      {regenerate.isError && <ProblemAlert error={regenerate.error} />}
      <Row gutter={[16, 16]} data-testid="report-totals">
        {COUNT_KEYS.map((key) => (
          <Col xs={12} sm={8} md={6} lg={4} key={key}>
            <Card size="small">
              <Statistic title={t(`reports.metrics.${key}`)} value={totals[key]} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" title={t('reports.money')} style={{ marginTop: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2 }} colon={false}>
          {MONEY_KEYS.map((key) => (
            <Descriptions.Item key={key} label={t(`reports.metrics.${key}`)}>
              <Typography.Text data-testid={`report-${key}`} type={key === 'overdue_receivables' && totals[key].length ? 'danger' : undefined}>
                {moneyText(totals[key])}
              </Typography.Text>
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Card>
      {data.subject_kind === 'team' && (
        <Card size="small" title={t('reports.members', { count: data.content.members.length })} style={{ marginTop: 16 }}>
          <MembersTable report={data} />
        </Card>
      )}
    </>
  );
}
