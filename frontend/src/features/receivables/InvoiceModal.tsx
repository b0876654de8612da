import { Alert, Col, DatePicker, Form, Input, InputNumber, Modal, Radio, Row, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Contract, Invoice, InvoiceCreate, InvoiceType } from '../../api/types';
import { compareAmounts, formatMoney, normalizeAmount, subtractAmounts } from '../contracts/money';
import { applyCashProblem, cashProblemMessage } from '../contracts/problems';
import { useCreateInvoice, useIssueInvoice } from './api';
import { formatRate, TAX_RATES, taxIncluded } from './invoice';
import { INVOICE_TYPES } from './statuses';

const TAXPAYER_ID = /^[0-9A-Z]{15,20}$/;

interface RequestValues {
  title: string;
  taxpayer_id: string;
  invoice_type: InvoiceType;
  amount: string | null;
  tax_rate: string;
  number: string;
  issued_on: Dayjs | null;
  notes: string;
}

/** Request an invoice on a contract (开票申请), or record one already issued by giving its number. */
export function InvoiceRequestModal({ contract, onClose }: { contract: Contract; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RequestValues>();
  const create = useCreateInvoice();
  const [error, setError] = useState<unknown>(null);
  const currency = contract.currency;
  const left = subtractAmounts(
    subtractAmounts(contract.amount, contract.totals.invoiced),
    contract.totals.invoice_requested,
  );
  const amount = Form.useWatch('amount', form) ?? null;
  const rate = Form.useWatch('tax_rate', form) ?? null;
  const number = Form.useWatch('number', form) ?? '';
  const tax = taxIncluded(amount, rate);

  const submit = (values: RequestValues) => {
    setError(null);
    const body: InvoiceCreate = {
      contract_id: contract.id,
      title: values.title.trim(),
      taxpayer_id: values.taxpayer_id.trim().toUpperCase() || null,
      invoice_type: values.invoice_type,
      amount: normalizeAmount(values.amount) ?? '0.00',
      tax_rate: values.tax_rate,
      currency,
      number: values.number.trim() || null,
      issued_on: values.number.trim() && values.issued_on ? values.issued_on.format('YYYY-MM-DD') : null,
      notes: values.notes.trim() || null,
    };
    create.mutate(body, {
      onSuccess: onClose,
      onError: (failure) => {
        if (!applyCashProblem(form, failure, currency)) setError(failure);
      },
    });
  };

  return (
    <Modal
      open
      width={640}
      title={t('invoices.requestTitle', { number: contract.number })}
      okText={number.trim() ? t('invoices.recordIssued') : t('invoices.request')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t('invoices.leftToInvoice', { amount: formatMoney(left, currency) })}
      </Typography.Paragraph>
      {error !== null && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={cashProblemMessage(error, currency)} />}
      <Form<RequestValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          title: contract.customer_name ?? '',
          taxpayer_id: '',
          invoice_type: 'normal',
          amount: compareAmounts(left, '0') > 0 ? left : null,
          tax_rate: '0.13',
          number: '',
          issued_on: null,
          notes: '',
        }}
      >
        <Form.Item name="invoice_type" label={t('invoices.fields.type')}>
          <Radio.Group optionType="button" options={INVOICE_TYPES.map((v) => ({ value: v, label: t(`invoices.types.${v}`) }))} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={14}>
            <Form.Item name="title" label={t('invoices.fields.title')} rules={[{ required: true, whitespace: true, message: t('invoices.titleRequired') }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item
              name="taxpayer_id"
              label={t('invoices.fields.taxpayer_id')}
              dependencies={['invoice_type']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_, value: string) => {
                    const text = (value ?? '').trim().toUpperCase();
                    if (!text) {
                      return getFieldValue('invoice_type') === 'special'
                        ? Promise.reject(new Error(t('invoices.taxpayerRequired')))
                        : Promise.resolve();
                    }
                    return TAXPAYER_ID.test(text) ? Promise.resolve() : Promise.reject(new Error(t('invoices.taxpayerInvalid')));
                  },
                }),
              ]}
            >
              <Input maxLength={20} style={{ textTransform: 'uppercase' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="amount" label={t('invoices.fields.amount', { currency })} rules={[{ required: true, message: t('invoices.amountRequired') }]}>
              <InputNumber<string> stringMode min="0.01" precision={2} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="tax_rate" label={t('invoices.fields.tax_rate')} extra={tax ? t('invoices.taxPreview', { amount: formatMoney(tax, currency) }) : undefined}>
              <Select options={TAX_RATES.map((r) => ({ value: r, label: formatRate(r) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="number" label={t('invoices.fields.number')} extra={t('invoices.numberHelp')}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="issued_on" label={t('invoices.fields.issued_on')}>
              <DatePicker style={{ width: '100%' }} disabled={!number.trim()} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="notes" label={t('invoices.fields.notes')}>
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Mark a requested invoice as issued, with the number printed on it. */
export function InvoiceIssueModal({ invoice, onClose }: { invoice: Invoice; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ number: string; issued_on: Dayjs }>();
  const issue = useIssueInvoice();
  const [error, setError] = useState<unknown>(null);
  return (
    <Modal
      open
      title={t('invoices.issueTitle', { title: invoice.title, amount: formatMoney(invoice.amount, invoice.currency) })}
      okText={t('invoices.issue')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={issue.isPending}
      destroyOnHidden
    >
      {error !== null && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={cashProblemMessage(error)} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ number: '', issued_on: dayjs() }}
        onFinish={(values) =>
          issue.mutate(
            { invoice, body: { number: values.number.trim(), issued_on: values.issued_on.format('YYYY-MM-DD') } },
            {
              onSuccess: onClose,
              onError: (failure) => {
                if (!applyCashProblem(form, failure)) setError(failure);
              },
            },
          )
        }
      >
        <Form.Item name="number" label={t('invoices.fields.number')} rules={[{ required: true, whitespace: true, message: t('invoices.numberRequired') }]}>
          <Input maxLength={40} autoFocus />
        </Form.Item>
        <Form.Item name="issued_on" label={t('invoices.fields.issued_on')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} allowClear={false} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
