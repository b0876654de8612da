import { App as AntApp, Alert, Button, Col, DatePicker, Drawer, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { Contract } from '../../api/types';
import { UserSelect } from '../../components/UserSelect';
import { useSession } from '../auth';
import { useContractsOfDeal, useCreateContract, useOpportunity, useUpdateContract } from './api';
import { CustomerSelect } from './CustomerSelect';
import { type ContractFormValues, createBody, CURRENCIES, MONEY_TERMS, updateBody, valuesFromContract } from './form';
import { formatMoney } from './money';
import { applyCashProblem, cashProblemMessage } from './problems';
import { APPROVER_ROLES } from './statuses';

const EMPTY: ContractFormValues = {
  title: '',
  customer_id: null,
  amount: null,
  currency: 'CNY',
  signed_on: null,
  starts_on: null,
  ends_on: null,
  notes: '',
};

/**
 * Create a contract (optionally from a won deal, whose customer, name, amount and currency
 * prefill the form) or edit one. Once approved, the money terms are shown but locked.
 */
export function ContractFormDrawer({
  contract,
  opportunityId,
  onClose,
  onSaved,
}: {
  contract?: Contract;
  opportunityId?: string | null;
  onClose: () => void;
  onSaved?: (contract: Contract) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useSession();
  const [form] = Form.useForm<ContractFormValues>();
  const create = useCreateContract();
  const update = useUpdateContract();
  const editing = contract !== undefined;
  const dealId = editing ? null : (opportunityId ?? null);
  const deal = useOpportunity(dealId);
  const existing = useContractsOfDeal(dealId);
  const pending = create.isPending || update.isPending;
  const approver = APPROVER_ROLES.has(me.user.role);
  const locked = editing && contract.status !== 'draft';
  const underReview = editing && contract.status === 'pending_approval';

  const initialValues = useMemo<ContractFormValues>(
    () => (contract ? valuesFromContract(contract) : { ...EMPTY, owner_id: me.user.id }),
    [contract, me.user.id],
  );

  // The deal arrives after the drawer opens: fill what the user has not typed yet.
  useEffect(() => {
    if (!deal.data) return;
    const current = form.getFieldsValue();
    form.setFieldsValue({
      title: current.title || deal.data.name,
      customer_id: current.customer_id ?? deal.data.customer_id,
      amount: current.amount ?? deal.data.amount,
      currency: deal.data.currency,
    });
  }, [deal.data, form]);

  const onError = (error: unknown) => {
    if (!applyCashProblem(form, error)) void message.error(cashProblemMessage(error));
  };

  const save = (values: ContractFormValues) => {
    if (editing) {
      const body = updateBody(contract, values);
      if (Object.keys(body).length === 0) {
        onClose();
        return;
      }
      update.mutate(
        { contract, body },
        {
          onSuccess: (saved) => {
            void message.success(t('contracts.saved'));
            onSaved?.(saved);
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(createBody(values, dealId), {
        onSuccess: (saved) => {
          void message.success(t('contracts.created', { number: saved.number }));
          onSaved?.(saved);
          onClose();
        },
        onError,
      });
    }
  };

  const lockedTerm = (name: (typeof MONEY_TERMS)[number]) => locked && MONEY_TERMS.includes(name);
  const col = { xs: 24, sm: 12 };

  return (
    <Drawer
      open
      width={720}
      title={editing ? t('contracts.editTitle', { number: contract.number }) : t('contracts.createTitle')}
      onClose={onClose}
      maskClosable={!pending}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={pending} onClick={() => form.submit()} data-testid="contract-form-submit">
            {editing ? t('common.save') : t('common.create')}
          </Button>
        </Space>
      }
    >
      {dealId && deal.data && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="contract-from-deal"
          message={t('contracts.fromDeal', {
            name: deal.data.name,
            amount: formatMoney(deal.data.amount, deal.data.currency),
          })}
          description={deal.data.status !== 'won' ? t('contracts.dealNotWon') : undefined}
        />
      )}
      {dealId && deal.isError && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={cashProblemMessage(deal.error)} />
      )}
      {(existing.data?.length ?? 0) > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('contracts.dealHasContract')}
          description={
            <Space wrap>
              {existing.data!.map((c) => (
                <Link key={c.id} to={`/contracts/${c.id}`}>
                  {c.number}
                </Link>
              ))}
            </Space>
          }
        />
      )}
      {locked && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={underReview ? t('contracts.underReviewHelp') : t('contracts.lockedHelp')}
        />
      )}
      <Form<ContractFormValues>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={save}
        disabled={underReview}
        data-testid="contract-form"
      >
        <Row gutter={16}>
          <Col xs={24}>
            <Form.Item
              name="title"
              label={t('contracts.fields.title')}
              rules={[{ required: true, whitespace: true, message: t('contracts.titleRequired') }]}
            >
              <Input maxLength={200} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item
              name="customer_id"
              label={t('contracts.fields.customer')}
              rules={[{ required: true, message: t('contracts.customerRequired') }]}
            >
              <CustomerSelect
                disabled={lockedTerm('customer_id') || Boolean(dealId)}
                knownLabel={editing ? contract.customer_name : null}
                allowClear={false}
              />
            </Form.Item>
          </Col>
          <Col {...col}>
            {approver && (
              <Form.Item name="owner_id" label={t('contracts.fields.owner')}>
                <UserSelect allowClear={false} />
              </Form.Item>
            )}
          </Col>
          <Col xs={24} sm={14}>
            <Form.Item
              name="amount"
              label={t('contracts.fields.amount')}
              rules={[{ required: true, message: t('contracts.amountRequired') }]}
            >
              <InputNumber<string>
                stringMode
                min="0"
                precision={2}
                style={{ width: '100%' }}
                disabled={lockedTerm('amount')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item name="currency" label={t('contracts.fields.currency')}>
              <Select
                disabled={lockedTerm('currency')}
                options={CURRENCIES.map((c) => ({ value: c, label: `${c} · ${t(`contracts.currencies.${c}`)}` }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="signed_on" label={t('contracts.fields.signed_on')}>
              <DatePicker style={{ width: '100%' }} disabled={lockedTerm('signed_on')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="starts_on" label={t('contracts.fields.starts_on')}>
              <DatePicker style={{ width: '100%' }} disabled={lockedTerm('starts_on')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item
              name="ends_on"
              label={t('contracts.fields.ends_on')}
              dependencies={['starts_on']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_, value: ContractFormValues['ends_on']) => {
                    const start = getFieldValue('starts_on') as ContractFormValues['starts_on'];
                    return value && start && value.isBefore(start, 'day')
                      ? Promise.reject(new Error(t('contracts.endsBeforeStart')))
                      : Promise.resolve();
                  },
                }),
              ]}
            >
              <DatePicker
                style={{ width: '100%' }}
                disabled={editing && (contract.status === 'expired' || contract.status === 'terminated')}
              />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="notes" label={t('contracts.fields.notes')}>
              {/* Notes stay editable while the contract waits for approval. */}
              <Input.TextArea rows={3} maxLength={10_000} disabled={false} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {!editing && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('contracts.createHelp')}
        </Typography.Paragraph>
      )}
    </Drawer>
  );
}
