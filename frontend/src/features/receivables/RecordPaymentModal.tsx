import {
  Alert,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Result,
  Row,
  Select,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Contract, Installment, Payment, PaymentCreate, PaymentMethod } from '../../api/types';
import { formatDate } from '../../lib/dates';
import { compareAmounts, formatMoney, isZero, normalizeAmount } from '../contracts/money';
import { applyCashProblem, cashProblemMessage } from '../contracts/problems';
import { allocateOldestFirst, checkManual, openInstallments, outstandingTotal } from './allocation';
import { useCreatePayment } from './api';
import { PAYMENT_METHODS } from './statuses';

interface Values {
  amount: string | null;
  received_on: Dayjs;
  method: PaymentMethod;
  reference: string;
  mode: 'auto' | 'manual';
  allocations: Record<string, string | null>;
  overpayment: boolean;
  notes: string;
}

/** The server's answer: where the money went and what stayed as credit. */
function AllocationResult({ payment, installments }: { payment: Payment; installments: Installment[] }) {
  const { t } = useTranslation();
  const byId = new Map(installments.map((i) => [i.id, i]));
  return (
    <Result
      status="success"
      title={t('payments.recorded', { amount: formatMoney(payment.amount, payment.currency) })}
      subTitle={t('payments.recordedHelp')}
      style={{ padding: '16px 0' }}
      extra={
        <div style={{ textAlign: 'left' }} data-testid="payment-result">
          <Table
            rowKey="installment_id"
            size="small"
            pagination={false}
            dataSource={payment.allocations}
            columns={[
              {
                key: 'n',
                title: t('contracts.plan.number'),
                render: (_: unknown, line) => t('contracts.plan.nth', { n: line.installment_number }),
              },
              { key: 'due', title: t('contracts.plan.dueDate'), render: (_: unknown, line) => formatDate(line.due_date) },
              {
                key: 'amount',
                title: t('payments.allocated'),
                align: 'right',
                render: (_: unknown, line) => formatMoney(line.amount, payment.currency),
              },
              {
                key: 'left',
                title: t('receivables.fields.outstanding'),
                align: 'right',
                render: (_: unknown, line) => {
                  const inst = byId.get(line.installment_id);
                  return inst ? formatMoney(inst.outstanding, payment.currency) : '';
                },
              },
            ]}
          />
          {!isZero(payment.credit) && (
            <Alert
              type="info"
              showIcon
              style={{ marginTop: 12 }}
              message={t('payments.creditLeft', { amount: formatMoney(payment.credit, payment.currency) })}
            />
          )}
        </div>
      }
    />
  );
}

/**
 * Record money received on a contract: automatic allocation (oldest installment first, as
 * previewed here) or by hand per installment; more than is outstanding only as an
 * overpayment. After saving, shows the server's own allocation.
 */
export function RecordPaymentModal({
  contract,
  installments,
  onClose,
}: {
  contract: Contract;
  installments: Installment[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const create = useCreatePayment();
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Payment | null>(null);
  const currency = contract.currency;
  const open = useMemo(() => openInstallments(installments), [installments]);
  const outstanding = useMemo(() => outstandingTotal(installments), [installments]);

  const amount = Form.useWatch('amount', form) ?? null;
  const mode = Form.useWatch('mode', form) ?? 'auto';
  const typed = Form.useWatch('allocations', form);
  const overpayment = Form.useWatch('overpayment', form) ?? false;

  const auto = useMemo(() => allocateOldestFirst(open, amount), [open, amount]);
  const manual = useMemo(() => checkManual(open, typed ?? {}, amount), [open, typed, amount]);
  const exceeds = compareAmounts(amount, outstanding) > 0;

  const submit = (values: Values) => {
    setError(null);
    const body: PaymentCreate = {
      contract_id: contract.id,
      amount: normalizeAmount(values.amount) ?? '0.00',
      currency,
      received_on: values.received_on.format('YYYY-MM-DD'),
      method: values.method,
      reference: values.reference.trim() || null,
      overpayment: values.overpayment,
      notes: values.notes.trim() || null,
      ...(values.mode === 'manual' ? { allocations: manual.lines } : {}),
    };
    create.mutate(body, {
      onSuccess: (payment) => setResult(payment),
      onError: (failure) => {
        if (!applyCashProblem(form, failure, currency)) setError(failure);
      },
    });
  };

  const manualColumns: TableColumnsType<Installment> = [
    { key: 'n', title: t('contracts.plan.number'), width: 70, render: (_: unknown, i) => t('contracts.plan.nth', { n: i.number }) },
    { key: 'due', title: t('contracts.plan.dueDate'), width: 110, render: (_: unknown, i) => formatDate(i.due_date) },
    {
      key: 'outstanding',
      title: t('receivables.fields.outstanding'),
      align: 'right',
      width: 130,
      render: (_: unknown, i) => (
        <Typography.Text type={i.status === 'overdue' ? 'danger' : undefined}>{formatMoney(i.outstanding, currency)}</Typography.Text>
      ),
    },
    {
      key: 'allocate',
      title: t('payments.allocate'),
      width: 170,
      render: (_: unknown, i) => (
        <Form.Item name={['allocations', i.id]} noStyle>
          <InputNumber<string>
            stringMode
            min="0"
            max={i.outstanding}
            precision={2}
            style={{ width: '100%' }}
            status={manual.overInstallment.includes(i.id) ? 'error' : undefined}
            data-testid="allocation-input"
          />
        </Form.Item>
      ),
    },
  ];

  if (result) {
    return (
      <Modal open title={t('payments.recordTitle', { number: contract.number })} onCancel={onClose} onOk={onClose} okText={t('common.done')} cancelButtonProps={{ style: { display: 'none' } }} width={640}>
        <AllocationResult payment={result} installments={installments} />
      </Modal>
    );
  }

  const manualRemaining = manual.remaining;
  return (
    <Modal
      open
      width={720}
      title={t('payments.recordTitle', { number: contract.number })}
      okText={t('payments.record')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'payment-submit' }}
      destroyOnHidden
    >
      <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('contracts.fields.customer')}>{contract.customer_name}</Descriptions.Item>
        <Descriptions.Item label={t('receivables.fields.outstanding')}>
          <Typography.Text strong data-testid="payment-outstanding">
            {formatMoney(outstanding, currency)}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      {open.length === 0 && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('payments.nothingOutstanding')} />}
      {error !== null && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} message={cashProblemMessage(error, currency)} data-testid="payment-error" />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={() => setError(null)}
        initialValues={{
          amount: null,
          received_on: dayjs(),
          method: 'bank_transfer',
          reference: '',
          mode: 'auto',
          allocations: {},
          overpayment: false,
          notes: '',
        }}
        data-testid="payment-form"
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="amount"
              label={t('payments.fields.amount', { currency })}
              rules={[
                { required: true, message: t('payments.amountRequired') },
                {
                  validator: (_, value: string | null) =>
                    value && compareAmounts(value, '0') > 0 ? Promise.resolve() : Promise.reject(new Error(t('payments.amountPositive'))),
                },
              ]}
            >
              <InputNumber<string> stringMode min="0" precision={2} style={{ width: '100%' }} autoFocus data-testid="payment-amount" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="received_on" label={t('payments.fields.received_on')} rules={[{ required: true }]}>
              <DatePicker
                style={{ width: '100%' }}
                allowClear={false}
                disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                data-testid="payment-date"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="method" label={t('payments.fields.method')}>
              <Select options={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`payments.methods.${m}`) }))} data-testid="payment-method" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="reference" label={t('payments.fields.reference')}>
              <Input maxLength={120} placeholder={t('payments.referencePlaceholder')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="mode" label={t('payments.allocation')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'auto', label: t('payments.modes.auto') },
              { value: 'manual', label: t('payments.modes.manual') },
            ]}
          />
        </Form.Item>
        {mode === 'auto' ? (
          <div data-testid="allocation-preview" style={{ marginBottom: 12 }}>
            {auto.lines.length === 0 ? (
              <Typography.Text type="secondary">{t('payments.previewEmpty')}</Typography.Text>
            ) : (
              <Typography.Text type="secondary">
                {t('payments.preview')}{' '}
                {auto.lines
                  .map((line) => {
                    const inst = open.find((i) => i.id === line.installment_id);
                    return t('payments.previewLine', { n: inst?.number ?? '?', amount: formatMoney(line.amount, currency) });
                  })
                  .join(t('common.listSeparator'))}
              </Typography.Text>
            )}
          </div>
        ) : (
          <>
            <Table<Installment>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={open}
              columns={manualColumns}
              style={{ marginBottom: 8 }}
              data-testid="allocation-table"
            />
            <Typography.Text type={isZero(manualRemaining) ? 'success' : 'warning'} style={{ display: 'block', marginBottom: 12 }}>
              {t('payments.manualSummary', {
                allocated: formatMoney(manual.allocated, currency),
                amount: formatMoney(amount ?? '0', currency),
              })}
              {manual.overPayment && ` · ${t('payments.overAllocated')}`}
              {manual.overInstallment.length > 0 && ` · ${t('payments.overInstallment')}`}
            </Typography.Text>
          </>
        )}
        <Form.Item name="overpayment" valuePropName="checked" style={{ marginBottom: 8 }}>
          <Checkbox data-testid="payment-overpayment">{t('payments.overpayment')}</Checkbox>
        </Form.Item>
        {exceeds && mode === 'auto' && (
          <Alert
            type={overpayment ? 'info' : 'warning'}
            showIcon
            style={{ marginBottom: 12 }}
            message={
              overpayment
                ? t('payments.creditPreview', { amount: formatMoney(auto.unallocated, currency) })
                : t('payments.exceedsHelp', { amount: formatMoney(outstanding, currency) })
            }
          />
        )}
        <Form.Item name="notes" label={t('payments.fields.notes')}>
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
