import { PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Flex, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Contract, Payment } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDate, formatDateTime } from '../../lib/dates';
import { formatMoney, isZero } from '../contracts/money';
import { cashProblemMessage } from '../contracts/problems';
import { ReasonModal } from '../contracts/ReasonModal';
import { useUserDirectory } from '../users';
import { useContractPayments, useVoidPayment } from './api';

/** Payments received on one contract, with where each went; void one recorded in error. */
export function PaymentsPanel({
  contract,
  canRecord,
  canVoid,
  onRecord,
}: {
  contract: Contract;
  canRecord: boolean;
  canVoid: boolean;
  onRecord: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const users = useUserDirectory();
  const payments = useContractPayments(contract.id);
  const voidPayment = useVoidPayment();
  const [voiding, setVoiding] = useState<Payment | null>(null);
  const currency = contract.currency;

  const columns: TableColumnsType<Payment> = [
    {
      key: 'received_on',
      title: t('payments.fields.received_on'),
      dataIndex: 'received_on',
      width: 110,
      render: (value: string) => formatDate(value),
    },
    {
      key: 'amount',
      title: t('payments.fields.amount', { currency }),
      dataIndex: 'amount',
      align: 'right',
      width: 130,
      render: (value: string, p) => (
        <Typography.Text delete={p.voided_at !== null} strong>
          {formatMoney(value, p.currency)}
        </Typography.Text>
      ),
    },
    {
      key: 'method',
      title: t('payments.fields.method'),
      dataIndex: 'method',
      width: 100,
      render: (method: Payment['method']) => t(`payments.methods.${method}`),
    },
    { key: 'reference', title: t('payments.fields.reference'), dataIndex: 'reference', width: 140 },
    {
      key: 'allocations',
      title: t('payments.allocatedTo'),
      render: (_: unknown, p) => (
        <Space size={4} wrap>
          {p.allocations.map((line) => (
            <Tag key={line.installment_id} bordered={false}>
              {t('payments.previewLine', { n: line.installment_number, amount: formatMoney(line.amount, p.currency) })}
            </Tag>
          ))}
          {!isZero(p.credit) && (
            <Tag color="gold" bordered={false}>
              {t('payments.credit', { amount: formatMoney(p.credit, p.currency) })}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      key: 'status',
      title: t('receivables.fields.status'),
      width: 90,
      render: (_: unknown, p) =>
        p.voided_at ? (
          <Tooltip title={p.void_reason}>
            <Tag bordered={false}>{t('payments.voided')}</Tag>
          </Tooltip>
        ) : (
          <Tag color="success" bordered={false}>
            {t('payments.valid')}
          </Tag>
        ),
    },
    {
      key: 'recorded',
      title: t('payments.recordedBy'),
      width: 170,
      render: (_: unknown, p) => (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {(p.created_by && users.byId.get(p.created_by)?.name) || '—'} · {formatDateTime(p.created_at)}
        </Typography.Text>
      ),
    },
    ...(canVoid
      ? [
          {
            key: 'actions',
            width: 70,
            render: (_: unknown, p: Payment) =>
              p.voided_at ? null : (
                <Button type="link" size="small" danger onClick={() => setVoiding(p)}>
                  {t('payments.void')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        <Space size={20}>
          <span>
            {t('contracts.totals.received')}:{' '}
            <Typography.Text strong>{formatMoney(contract.totals.received, currency)}</Typography.Text>
          </span>
          {!isZero(contract.totals.credit) && (
            <span>
              {t('contracts.totals.credit')}: <Typography.Text strong>{formatMoney(contract.totals.credit, currency)}</Typography.Text>
            </span>
          )}
        </Space>
        {canRecord && (
          <Button icon={<PlusOutlined />} onClick={onRecord}>
            {t('payments.record')}
          </Button>
        )}
      </Flex>
      {payments.isError && <ProblemAlert error={payments.error} onRetry={() => void payments.refetch()} />}
      <Table<Payment>
        rowKey="id"
        size="small"
        loading={payments.isPending}
        dataSource={payments.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('payments.empty') }}
        data-testid="payments-table"
      />
      {voiding && (
        <ReasonModal
          title={t('payments.voidTitle', { amount: formatMoney(voiding.amount, voiding.currency) })}
          label={t('payments.voidReason')}
          danger
          onClose={() => setVoiding(null)}
          onSubmit={(reason) =>
            voidPayment.mutateAsync({ id: voiding.id, reason }).then(
              () => void message.success(t('payments.voidDone')),
              (error: unknown) => {
                void message.error(cashProblemMessage(error, currency));
                throw error;
              },
            )
          }
        />
      )}
    </>
  );
}
