import { Descriptions, Drawer, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { LoadMore } from '../../components/LoadMore';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDate } from '../../lib/dates';
import { formatMoney } from '../contracts/money';
import { type CommissionLine, type CommissionPayment, type CommissionStatement, useStatementPayments } from './api';
import { formatRate } from './format';

/** One rep's statement: the summary, then every payment and the lines it was split into. */
export function StatementDrawer({
  statement,
  onClose,
}: {
  statement: CommissionStatement;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const payments = useStatementPayments(statement.user_id, statement.period);
  const rows = useMemo(() => payments.data?.pages.flatMap((p) => p.data) ?? [], [payments.data]);
  // every payment opens on its lines; the user may fold them away
  const [folded, setFolded] = useState<ReadonlySet<string>>(new Set());
  const money = (v: string | null) => formatMoney(v, statement.currency);
  const ruleLabel = (line: CommissionLine) => t(`commission.rules.${line.rule}`);
  return (
    <Drawer
      open
      width={860}
      onClose={onClose}
      title={t('commission.statementTitle', { name: statement.user_name, period: statement.period })}
      data-testid="statement-drawer"
    >
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('commission.fields.plan')}>{statement.plan_name}</Descriptions.Item>
        <Descriptions.Item label={t('commission.fields.payments')}>{statement.payments}</Descriptions.Item>
        <Descriptions.Item label={t('commission.fields.base')}>{money(statement.payments_base)}</Descriptions.Item>
        <Descriptions.Item label={t('commission.fields.gross')}>{money(statement.gross_commission)}</Descriptions.Item>
        <Descriptions.Item label={t('commission.fields.target')}>{money(statement.target)}</Descriptions.Item>
        <Descriptions.Item label={t('commission.fields.attainment')}>
          {statement.attainment_percent === null ? '—' : `${statement.attainment_percent}%`}
        </Descriptions.Item>
        <Descriptions.Item label={t('commission.fields.multiplier')}>×{formatRate(statement.multiplier)}</Descriptions.Item>
        <Descriptions.Item label={t('commission.fields.commission')}>
          <Typography.Text strong data-testid="statement-commission">
            {money(statement.commission)}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary">{t('commission.splitNote')}</Typography.Paragraph>
      {payments.isError && <ProblemAlert error={payments.error} onRetry={() => void payments.refetch()} />}
      <Table<CommissionPayment>
        rowKey="payment_id"
        size="small"
        loading={payments.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('commission.noPayments') }}
        data-testid="statement-payments"
        expandable={{
          expandedRowKeys: rows.map((p) => p.payment_id).filter((id) => !folded.has(id)),
          onExpand: (open, p) =>
            setFolded((prev) => {
              const next = new Set(prev);
              if (open) next.delete(p.payment_id);
              else next.add(p.payment_id);
              return next;
            }),
          expandedRowRender: (payment) => (
            <Table<CommissionLine>
              rowKey={(line) => line.category ?? '—'}
              size="small"
              pagination={false}
              dataSource={payment.lines}
              data-testid={`payment-lines-${payment.payment_id}`}
              columns={[
                {
                  key: 'category',
                  title: t('commission.fields.category'),
                  render: (_: unknown, line) => line.category ?? t('commission.uncategorised'),
                },
                { key: 'base', title: t('commission.fields.lineBase'), align: 'right', render: (_: unknown, line) => money(line.base) },
                { key: 'rate', title: t('commission.fields.rate'), align: 'right', render: (_: unknown, line) => `${formatRate(line.rate)}%` },
                { key: 'rule', title: t('commission.fields.rule'), render: (_: unknown, line) => <Tag>{ruleLabel(line)}</Tag> },
                {
                  key: 'commission',
                  title: t('commission.fields.commission'),
                  align: 'right',
                  render: (_: unknown, line) => money(line.commission),
                },
              ]}
            />
          ),
        }}
        columns={[
          { key: 'date', title: t('commission.fields.receivedOn'), render: (_: unknown, p) => formatDate(p.received_on) },
          { key: 'customer', title: t('commission.fields.customer'), dataIndex: 'customer_name' },
          { key: 'contract', title: t('commission.fields.contract'), dataIndex: 'contract_number' },
          {
            key: 'tier',
            title: t('commission.fields.tier'),
            render: (_: unknown, p) => (p.tier ? <Tag color="gold">{p.tier}</Tag> : '—'),
          },
          {
            key: 'installments',
            title: t('commission.fields.installments'),
            render: (_: unknown, p) =>
              p.installments.length ? p.installments.map((n) => t('commission.installment', { n })).join(t('common.listSeparator')) : '—',
          },
          { key: 'amount', title: t('commission.fields.amount'), align: 'right', render: (_: unknown, p) => money(p.amount) },
          {
            key: 'commission',
            title: t('commission.fields.commission'),
            align: 'right',
            render: (_: unknown, p) => <Typography.Text strong>{money(p.commission)}</Typography.Text>,
          },
        ]}
      />
      <LoadMore
        hasMore={payments.hasNextPage}
        loading={payments.isFetchingNextPage}
        onLoadMore={() => void payments.fetchNextPage()}
        shown={rows.length}
      />
    </Drawer>
  );
}
