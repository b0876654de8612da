import { Alert, DatePicker, Empty, Flex, Segmented, Skeleton, Table, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { CashInPeriod } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatMoney } from '../contracts/money';
import { type CashInRow, cashInRows } from './aging';
import { useCashIn } from './api';

function periodLabel(row: CashInRow, period: CashInPeriod): string {
  if (period === 'month') return dayjs(row.start).format('YYYY-MM');
  return `${dayjs(row.start).format('MM-DD')} ~ ${dayjs(row.end).format('MM-DD')}`;
}

/** Expected cash-in: what is still outstanding, by the week or month it falls due. */
export function CashInPanel() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<CashInPeriod>('month');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const start = range?.[0]?.format('YYYY-MM-DD') ?? null;
  const end = range?.[1]?.format('YYYY-MM-DD') ?? null;
  const calendar = useCashIn(period, start, end);
  const rows = useMemo(() => (calendar.data ? cashInRows(calendar.data) : []), [calendar.data]);

  const columns: TableColumnsType<CashInRow> = [
    {
      key: 'period',
      title: t(`receivables.cashIn.${period}`),
      width: 160,
      render: (_: unknown, row) => (
        <Flex vertical gap={0}>
          <Typography.Text strong>{periodLabel(row, period)}</Typography.Text>
          {period === 'week' && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {dayjs(row.start).format('YYYY')}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      key: 'amount',
      title: t('receivables.cashIn.expected'),
      render: (_: unknown, row) => (
        <Flex vertical gap={4}>
          {row.amounts.map((a) => (
            <Flex key={a.currency} align="center" gap={10}>
              <div style={{ flex: 1, maxWidth: 420, background: '#f5f5f5', borderRadius: 4, height: 14 }}>
                <div style={{ width: `${a.length}%`, minWidth: a.length > 0 ? 3 : 0, background: '#1677ff', height: '100%', borderRadius: 4 }} />
              </div>
              <Typography.Text strong style={{ minWidth: 120, textAlign: 'right' }}>
                {formatMoney(a.amount, a.currency)}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12, minWidth: 60 }}>
                {t('receivables.cashIn.count', { count: a.installments })}
              </Typography.Text>
            </Flex>
          ))}
        </Flex>
      ),
    },
  ];

  return (
    <div data-testid="cash-in-panel">
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <Segmented<CashInPeriod>
          value={period}
          onChange={setPeriod}
          options={[
            { value: 'week', label: t('receivables.cashIn.byWeek') },
            { value: 'month', label: t('receivables.cashIn.byMonth') },
          ]}
          data-testid="cash-in-period"
        />
        <DatePicker.RangePicker value={range} onChange={(value) => setRange(value)} allowEmpty={[true, true]} />
        {calendar.data && (
          <Typography.Text type="secondary">
            {t('receivables.cashIn.covering', { start: calendar.data.start, end: calendar.data.end })}
          </Typography.Text>
        )}
      </Flex>
      {calendar.isError && <ProblemAlert error={calendar.error} onRetry={() => void calendar.refetch()} />}
      {calendar.data?.overdue.map((o) => (
        <Alert
          key={o.currency}
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('receivables.cashIn.overdue', { amount: formatMoney(o.amount, o.currency), count: o.installments })}
          data-testid="cash-in-overdue"
        />
      ))}
      {calendar.isPending ? (
        <Skeleton active />
      ) : rows.length === 0 ? (
        <Empty description={t('receivables.cashIn.nothing')} />
      ) : (
        <Table<CashInRow> rowKey="start" size="small" dataSource={rows} columns={columns} pagination={false} data-testid="cash-in-table" />
      )}
    </div>
  );
}
