import { Card, Col, DatePicker, Empty, Flex, Row, Segmented, Skeleton, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { AgingBuckets, AgingGroupBy, AgingRow } from '../../api/types';
import { LoadMore } from '../../components/LoadMore';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatMoney, isZero } from '../contracts/money';
import { BUCKET_COLORS, BUCKETS, bucketBars } from './aging';
import { useAging } from './api';

/** Five bars, current to 90+ days past due, drawn with plain CSS. */
export function AgingChart({ buckets }: { buckets: AgingBuckets }) {
  const { t } = useTranslation();
  const bars = bucketBars(buckets);
  return (
    <Flex gap={12} align="flex-end" style={{ height: 200, padding: '8px 4px 0' }} data-testid="aging-chart" data-currency={buckets.currency}>
      {bars.map((bar) => (
        <Flex key={bar.key} vertical align="center" justify="flex-end" style={{ flex: 1, height: '100%', minWidth: 0 }} data-testid={`aging-bucket-${bar.key}`}>
          <Typography.Text strong style={{ fontSize: 12, whiteSpace: 'nowrap' }} data-testid="aging-bucket-amount">
            {formatMoney(bar.amount, buckets.currency)}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 11 }}>
            {bar.share}%
          </Typography.Text>
          <div
            role="img"
            aria-label={`${t(`receivables.buckets.${bar.key}`)} ${formatMoney(bar.amount, buckets.currency)}`}
            style={{
              width: '70%',
              maxWidth: 72,
              height: `${Math.max(bar.length * 1.2, bar.length > 0 ? 3 : 1)}px`,
              background: bar.length > 0 ? BUCKET_COLORS[bar.key] : '#f0f0f0',
              borderRadius: '4px 4px 0 0',
              marginTop: 4,
            }}
          />
          <Typography.Text style={{ fontSize: 12, marginTop: 6, whiteSpace: 'nowrap' }}>{t(`receivables.buckets.${bar.key}`)}</Typography.Text>
        </Flex>
      ))}
    </Flex>
  );
}

/** Outstanding money by days past due, grouped by customer, owner or team, with DSO. */
export function AgingPanel() {
  const { t } = useTranslation();
  const [groupBy, setGroupBy] = useState<AgingGroupBy>('customer');
  const [asOf, setAsOf] = useState<Dayjs | null>(null);
  const report = useAging(groupBy, asOf ? asOf.format('YYYY-MM-DD') : null);
  const first = report.data?.pages[0];
  const rows = useMemo(() => report.data?.pages.flatMap((p) => p.data) ?? [], [report.data]);

  const groupLabel = (row: AgingRow) => {
    if (!row.key) return <Typography.Text type="secondary">{t(`receivables.aging.none.${groupBy}`)}</Typography.Text>;
    if (groupBy === 'customer') return <Link to={`/customers/${row.key}`}>{row.label ?? '…'}</Link>;
    return row.label ?? '…';
  };

  const columns: TableColumnsType<AgingRow> = [
    { key: 'label', title: t(`receivables.aging.columns.${groupBy}`), fixed: 'left', width: 220, render: (_: unknown, row) => groupLabel(row) },
    ...BUCKETS.map((key) => ({
      key,
      title: t(`receivables.buckets.${key}`),
      align: 'right' as const,
      width: 130,
      render: (_: unknown, row: AgingRow) => (
        <Typography.Text type={key !== 'current' && !isZero(row[key]) ? 'danger' : undefined}>{formatMoney(row[key], row.currency)}</Typography.Text>
      ),
    })),
    {
      key: 'total',
      title: t('receivables.aging.total'),
      align: 'right',
      width: 140,
      render: (_: unknown, row) => <Typography.Text strong>{formatMoney(row.total, row.currency)}</Typography.Text>,
    },
    { key: 'count', title: t('receivables.aging.installments'), dataIndex: 'installments', align: 'right', width: 90 },
  ];

  return (
    <div data-testid="aging-panel">
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <Segmented<AgingGroupBy>
          value={groupBy}
          onChange={setGroupBy}
          options={(['customer', 'owner', 'team'] as const).map((g) => ({ value: g, label: t(`receivables.aging.groups.${g}`) }))}
          data-testid="aging-group"
        />
        <Flex align="center" gap={6}>
          <Typography.Text type="secondary">{t('receivables.aging.asOf')}</Typography.Text>
          <DatePicker value={asOf} onChange={setAsOf} placeholder={t('receivables.aging.today')} data-testid="aging-as-of" />
        </Flex>
        {first && (
          <Typography.Text type="secondary" data-testid="aging-as-of-shown">
            {t('receivables.aging.countedTo', { date: first.as_of })}
          </Typography.Text>
        )}
      </Flex>
      {report.isError && <ProblemAlert error={report.error} onRetry={() => void report.refetch()} />}
      {report.isPending ? (
        <Skeleton active />
      ) : first ? (
        <>
          {first.totals.length === 0 ? (
            <Empty description={t('receivables.aging.nothing')} style={{ marginBottom: 16 }} />
          ) : (
            first.totals.map((totals) => {
              const dso = first.dso.find((d) => d.currency === totals.currency);
              return (
                <Row gutter={16} key={totals.currency} style={{ marginBottom: 16 }}>
                  <Col xs={24} lg={17}>
                    <Card size="small" title={t('receivables.aging.chartTitle', { currency: totals.currency })}>
                      <AgingChart buckets={totals} />
                    </Card>
                  </Col>
                  <Col xs={24} lg={7}>
                    <Card size="small" style={{ height: '100%' }}>
                      <Flex vertical gap={16}>
                        <Statistic title={t('receivables.aging.total')} value={formatMoney(totals.total, totals.currency)} data-testid="aging-total" />
                        <Statistic
                          title={t('receivables.aging.dso')}
                          value={dso?.days ?? '—'}
                          suffix={dso?.days ? t('receivables.aging.days') : undefined}
                          data-testid="aging-dso"
                        />
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t('receivables.aging.dsoHelp', { days: dso?.window_days ?? 90 })}
                        </Typography.Text>
                      </Flex>
                    </Card>
                  </Col>
                </Row>
              );
            })
          )}
          <Table<AgingRow>
            rowKey={(row) => `${row.key ?? 'none'}-${row.currency}`}
            size="small"
            dataSource={rows}
            columns={columns}
            pagination={false}
            scroll={{ x: 'max-content' }}
            loading={report.isFetching && !report.isFetchingNextPage && report.isPlaceholderData}
            data-testid="aging-table"
          />
          <LoadMore hasMore={report.hasNextPage} loading={report.isFetchingNextPage} onLoadMore={() => void report.fetchNextPage()} shown={rows.length} />
        </>
      ) : null}
      {asOf && asOf.isAfter(dayjs(), 'day') && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('receivables.aging.futureHelp')}
        </Typography.Paragraph>
      )}
    </div>
  );
}
