import { PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Flex, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Contract, Invoice, InvoiceStatus } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDate } from '../../lib/dates';
import { formatMoney, isZero } from '../contracts/money';
import { cashProblemMessage } from '../contracts/problems';
import { ReasonModal } from '../contracts/ReasonModal';
import { useContractInvoices, useVoidInvoice } from './api';
import { formatRate } from './invoice';
import { InvoiceIssueModal, InvoiceRequestModal } from './InvoiceModal';

const STATUS_COLORS: Record<InvoiceStatus, string> = { requested: 'processing', issued: 'success', void: 'default' };

/** The invoices of one contract: request (开票申请), issue with its number, void (红冲). */
export function InvoicesPanel({ contract, writable }: { contract: Contract; writable: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const invoices = useContractInvoices(contract.id);
  const voidInvoice = useVoidInvoice();
  const [dialog, setDialog] = useState<{ kind: 'request' } | { kind: 'issue' | 'void'; invoice: Invoice } | null>(null);
  const currency = contract.currency;
  const receivable = contract.status === 'active' || contract.status === 'expired' || contract.status === 'terminated';

  const columns: TableColumnsType<Invoice> = [
    {
      key: 'number',
      title: t('invoices.fields.number'),
      dataIndex: 'number',
      width: 130,
      render: (value: string | null) => value ?? <Typography.Text type="secondary">{t('invoices.noNumber')}</Typography.Text>,
    },
    { key: 'title', title: t('invoices.fields.title'), dataIndex: 'title', width: 200 },
    {
      key: 'type',
      title: t('invoices.fields.type'),
      dataIndex: 'invoice_type',
      width: 100,
      render: (value: Invoice['invoice_type']) => t(`invoices.types.${value}`),
    },
    { key: 'taxpayer', title: t('invoices.fields.taxpayer_id'), dataIndex: 'taxpayer_id', width: 190 },
    {
      key: 'amount',
      title: t('invoices.fields.amount', { currency }),
      dataIndex: 'amount',
      align: 'right',
      width: 130,
      render: (value: string, inv) => formatMoney(value, inv.currency),
    },
    {
      key: 'tax',
      title: t('invoices.fields.tax'),
      align: 'right',
      width: 140,
      render: (_: unknown, inv) => `${formatMoney(inv.tax_amount, inv.currency)} (${formatRate(inv.tax_rate)})`,
    },
    {
      key: 'status',
      title: t('invoices.fields.status'),
      dataIndex: 'status',
      width: 90,
      render: (status: InvoiceStatus, inv) => (
        <Tooltip title={inv.void_reason}>
          <Tag color={STATUS_COLORS[status]} bordered={false}>
            {t(`invoices.statuses.${status}`)}
          </Tag>
        </Tooltip>
      ),
    },
    {
      key: 'issued_on',
      title: t('invoices.fields.issued_on'),
      dataIndex: 'issued_on',
      width: 110,
      render: (value: string | null) => formatDate(value) ?? '—',
    },
    ...(writable
      ? [
          {
            key: 'actions',
            width: 130,
            render: (_: unknown, inv: Invoice) => (
              <Space size={0}>
                {inv.status === 'requested' && (
                  <Button type="link" size="small" onClick={() => setDialog({ kind: 'issue', invoice: inv })}>
                    {t('invoices.issue')}
                  </Button>
                )}
                {inv.status !== 'void' && (
                  <Button type="link" size="small" danger onClick={() => setDialog({ kind: 'void', invoice: inv })}>
                    {t('invoices.void')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        <Space size={20} wrap>
          <span>
            {t('contracts.totals.invoiced')}:{' '}
            <Typography.Text strong>{formatMoney(contract.totals.invoiced, currency)}</Typography.Text>
          </span>
          {!isZero(contract.totals.invoice_requested) && (
            <span>
              {t('contracts.totals.invoice_requested')}:{' '}
              <Typography.Text strong>{formatMoney(contract.totals.invoice_requested, currency)}</Typography.Text>
            </span>
          )}
        </Space>
        {writable && receivable && (
          <Button icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'request' })} data-testid="invoice-request">
            {t('invoices.request')}
          </Button>
        )}
      </Flex>
      {invoices.isError && <ProblemAlert error={invoices.error} onRetry={() => void invoices.refetch()} />}
      <Table<Invoice>
        rowKey="id"
        size="small"
        loading={invoices.isPending}
        dataSource={invoices.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: receivable ? t('invoices.empty') : t('invoices.notYet') }}
        data-testid="invoices-table"
      />
      {dialog?.kind === 'request' && <InvoiceRequestModal contract={contract} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'issue' && <InvoiceIssueModal invoice={dialog.invoice} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'void' && (
        <ReasonModal
          title={t('invoices.voidTitle', { amount: formatMoney(dialog.invoice.amount, dialog.invoice.currency) })}
          label={t('invoices.voidReason')}
          danger
          onClose={() => setDialog(null)}
          onSubmit={(reason) =>
            voidInvoice.mutateAsync({ invoice: dialog.invoice, reason }).then(
              () => void message.success(t('invoices.voidDone')),
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
