import { EditOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Empty, Flex, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Contract, Installment, PaymentPlan } from '../../api/types';
import { formatDate } from '../../lib/dates';
import { useVoidInstallment } from '../receivables/api';
import { InstallmentStatusTag } from '../receivables/InstallmentStatusTag';
import { compareAmounts, formatMoney, isZero } from './money';
import { cashProblemMessage } from './problems';
import { ReasonModal } from './ReasonModal';

/** A contract's installments with their derived status and paid / outstanding amounts. */
export function PaymentPlanPanel({
  contract,
  plan,
  canEdit,
  canWriteOff,
  onEdit,
}: {
  contract: Contract;
  plan: PaymentPlan;
  canEdit: boolean;
  canWriteOff: boolean;
  onEdit: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const voidInstallment = useVoidInstallment();
  const [writingOff, setWritingOff] = useState<Installment | null>(null);
  const currency = plan.currency;
  const mismatch = plan.installments.length > 0 && compareAmounts(plan.planned, plan.contract_amount) !== 0;

  const columns: TableColumnsType<Installment> = [
    {
      key: 'number',
      title: t('contracts.plan.number'),
      dataIndex: 'number',
      width: 70,
      render: (n: number) => t('contracts.plan.nth', { n }),
    },
    {
      key: 'due_date',
      title: t('contracts.plan.dueDate'),
      dataIndex: 'due_date',
      width: 110,
      render: (value: string) => formatDate(value),
    },
    {
      key: 'amount',
      title: t('receivables.fields.amount'),
      dataIndex: 'amount',
      align: 'right',
      width: 130,
      render: (value: string) => formatMoney(value, currency),
    },
    {
      key: 'paid',
      title: t('receivables.fields.paid'),
      dataIndex: 'paid',
      align: 'right',
      width: 130,
      render: (value: string) => <span data-testid="installment-paid">{formatMoney(value, currency)}</span>,
    },
    {
      key: 'outstanding',
      title: t('receivables.fields.outstanding'),
      dataIndex: 'outstanding',
      align: 'right',
      width: 130,
      render: (value: string, row) => (
        <Typography.Text type={row.status === 'overdue' ? 'danger' : undefined} data-testid="installment-outstanding">
          {formatMoney(value, currency)}
        </Typography.Text>
      ),
    },
    {
      key: 'status',
      title: t('receivables.fields.status'),
      dataIndex: 'status',
      width: 150,
      render: (status: Installment['status'], row) => (
        <Space size={4} wrap>
          <InstallmentStatusTag status={status} daysOverdue={row.days_overdue} />
          {status === 'overdue' && !isZero(row.paid) && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('receivables.statuses.partially_paid')}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      key: 'note',
      title: t('contracts.plan.note'),
      render: (_: unknown, row) => row.void_reason ?? row.note ?? null,
    },
    ...(canWriteOff
      ? [
          {
            key: 'actions',
            width: 90,
            render: (_: unknown, row: Installment) =>
              row.status !== 'paid' && row.status !== 'void' ? (
                <Button type="link" size="small" danger onClick={() => setWritingOff(row)}>
                  {t('receivables.writeOff')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Space size={20} wrap data-testid="plan-totals">
          <span>
            {t('contracts.plan.planned')}: <Typography.Text strong>{formatMoney(plan.planned, currency)}</Typography.Text>
          </span>
          <span>
            {t('receivables.fields.paid')}: <Typography.Text strong>{formatMoney(plan.paid, currency)}</Typography.Text>
          </span>
          <span>
            {t('receivables.fields.outstanding')}:{' '}
            <Typography.Text strong>{formatMoney(plan.outstanding, currency)}</Typography.Text>
          </span>
          {mismatch && (
            <Typography.Text type="danger">
              {t('contracts.plan.mismatch', { amount: formatMoney(plan.contract_amount, currency) })}
            </Typography.Text>
          )}
        </Space>
        {canEdit && (
          <Button icon={<EditOutlined />} onClick={onEdit} data-testid="plan-edit">
            {plan.installments.length > 0 ? t('contracts.plan.edit') : t('contracts.plan.create')}
          </Button>
        )}
      </Flex>
      {plan.installments.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contracts.plan.empty')} />
      ) : (
        <Table<Installment>
          rowKey="id"
          size="small"
          dataSource={plan.installments}
          columns={columns}
          pagination={false}
          scroll={{ x: 'max-content' }}
          rowClassName={(row) => (row.status === 'void' ? 'row-void' : '')}
          onRow={(row) => ({ 'data-testid': 'installment-row', 'data-number': row.number }) as React.HTMLAttributes<HTMLElement>}
          data-testid="installments-table"
        />
      )}
      {writingOff && (
        <ReasonModal
          title={t('receivables.writeOffTitle', {
            n: writingOff.number,
            amount: formatMoney(writingOff.outstanding, currency),
          })}
          label={t('receivables.writeOffReason')}
          danger
          onClose={() => setWritingOff(null)}
          onSubmit={(reason) =>
            voidInstallment.mutateAsync({ id: writingOff.id, reason }).then(
              () => void message.success(t('receivables.writtenOff')),
              (error: unknown) => {
                void message.error(cashProblemMessage(error, contract.currency));
                throw error;
              },
            )
          }
        />
      )}
    </>
  );
}
