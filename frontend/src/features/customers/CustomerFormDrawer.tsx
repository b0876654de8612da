import { App as AntApp, Button, Col, Divider, Drawer, Flex, Form, Input, Radio, Row, Select, Space } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { isApiProblem } from '../../api/problem';
import type { Customer, CustomerCreate, CustomerUpdate, DuplicateCandidate, DuplicateCheck } from '../../api/types';
import { UserSelect } from '../../components/UserSelect';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useDebounced } from '../../lib/useDebounced';
import { useSession } from '../auth';
import { CustomFieldItems } from '../custom-fields/CustomFieldInput';
import { useCustomFields } from '../custom-fields/api';
import { customValuesFromForm, customValuesToForm } from '../custom-fields/values';
import { TagSelect } from '../tags';
import { useCreateCustomer, useDuplicateCheck, useUpdateCustomer } from './api';
import { DisputeModal } from './DisputeModal';
import { DuplicateWarning } from './DuplicateWarning';
import { CUSTOMER_STATUSES } from './filters';
import { buildDuplicateCheck, changedFields, type CustomerFormValues } from './form';
import { useCustomerLevels } from './settingsApi';

const ASSIGNING_ROLES = new Set(['owner', 'admin', 'manager']);

interface Conflict {
  candidates: DuplicateCandidate[];
  blocked: boolean;
}

function conflictOf(error: unknown): Conflict | null {
  if (!isApiProblem(error)) return null;
  if (error.code !== 'duplicate_customer' && error.code !== 'duplicate_blocked') return null;
  const candidates = Array.isArray(error.extensions.candidates)
    ? (error.extensions.candidates as DuplicateCandidate[])
    : [];
  return { candidates, blocked: error.code === 'duplicate_blocked' };
}

/**
 * Create a customer (no `customer`) or edit one. While name, phone, e-mail or credit code are
 * typed, a debounced check shows who already has this customer; a save the server answers
 * with `duplicate_customer` can be repeated with `force`, `duplicate_blocked` cannot.
 */
export function CustomerFormDrawer({
  customer,
  onClose,
  onSaved,
}: {
  customer?: Customer;
  onClose: () => void;
  onSaved?: (customer: Customer) => void;
}) {
  const { t } = useTranslation();
  const levels = useCustomerLevels();
  const { message } = AntApp.useApp();
  const me = useSession();
  const [form] = Form.useForm<CustomerFormValues>();
  const fields = useCustomFields('customer');
  const create = useCreateCustomer();
  const update = useUpdateCustomer();
  const editing = customer !== undefined;
  const pending = create.isPending || update.isPending;
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [disputing, setDisputing] = useState<DuplicateCandidate | null>(null);

  const name = Form.useWatch('name', form);
  const phones = Form.useWatch('phones', form);
  const email = Form.useWatch('email', form);
  const creditCode = Form.useWatch('credit_code', form);
  const check: DuplicateCheck | null = useMemo(
    () => buildDuplicateCheck({ name, phones, email, credit_code: creditCode }, customer),
    [name, phones, email, creditCode, customer],
  );
  const settled = useDebounced(check, 400);
  const live = useDuplicateCheck(settled);
  const shown: Conflict | null =
    conflict ??
    (live.data && settled && live.data.candidates.length > 0
      ? { candidates: live.data.candidates, blocked: live.data.blocked }
      : null);

  const initialValues: CustomerFormValues = useMemo(
    () =>
      customer
        ? {
            kind: customer.kind,
            name: customer.name,
            short_name: customer.short_name ?? '',
            phones: customer.phones,
            email: customer.email ?? '',
            credit_code: customer.credit_code ?? '',
            status: customer.status,
            level: customer.level ?? undefined,
            source: customer.source ?? '',
            industry: customer.industry ?? '',
            province: customer.province ?? '',
            city: customer.city ?? '',
            district: customer.district ?? '',
            address: customer.address ?? '',
            website: customer.website ?? '',
            tag_ids: customer.tag_ids,
            owner_id: customer.owner_id ?? undefined,
            custom_fields: customValuesToForm(fields.data ?? [], customer.custom_fields),
          }
        : {
            kind: 'company',
            name: '',
            phones: [],
            status: 'potential',
            tag_ids: [],
            owner_id: me.user.id,
            custom_fields: customValuesToForm(fields.data ?? [], {}),
          },
    // Custom field values need the definitions; the form remounts once they arrive.
    [customer, fields.data, me.user.id],
  );

  const onError = (error: unknown) => {
    const found = conflictOf(error);
    if (found) {
      setConflict(found);
      return;
    }
    if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
  };

  const save = (values: CustomerFormValues, force: boolean) => {
    const defs = fields.data ?? [];
    if (editing) {
      const body: CustomerUpdate = changedFields(customer, values, defs);
      if (Object.keys(body).length === 1) {
        onClose();
        return;
      }
      if (force) body.force = true;
      update.mutate(
        { customer, body },
        {
          onSuccess: (saved) => {
            void message.success(t('customers.saved'));
            onSaved?.(saved);
            onClose();
          },
          onError,
        },
      );
    } else {
      const body: CustomerCreate = {
        ...(changedFields(undefined, values, defs) as CustomerCreate),
        custom_fields: customValuesFromForm(defs, values.custom_fields, { keepNulls: false }),
        ...(force ? { force: true } : {}),
      };
      create.mutate(body, {
        onSuccess: (saved) => {
          void message.success(t('customers.created', { name: saved.name }));
          onSaved?.(saved);
          onClose();
        },
        onError,
      });
    }
  };

  const canForce = conflict !== null && !conflict.blocked;
  const col = { xs: 24, sm: 12 };

  return (
    <Drawer
      open
      width={760}
      title={editing ? t('customers.editTitle', { name: customer.name }) : t('customers.createTitle')}
      onClose={onClose}
      maskClosable={!pending}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          {canForce ? (
            <Button
              type="primary"
              danger
              loading={pending}
              onClick={() => void form.validateFields().then((values) => save(values, true))}
              data-testid="customer-form-force"
            >
              {t('duplicates.saveAnyway')}
            </Button>
          ) : (
            <Button type="primary" loading={pending} onClick={() => form.submit()} data-testid="customer-form-submit">
              {editing ? t('common.save') : t('common.create')}
            </Button>
          )}
        </Space>
      }
    >
      {shown && (
        <DuplicateWarning
          candidates={shown.candidates}
          blocked={shown.blocked}
          myId={me.user.id}
          onDispute={setDisputing}
        />
      )}
      <Form<CustomerFormValues>
        key={fields.isSuccess ? 'ready' : 'loading'}
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => save(values, false)}
        onValuesChange={(changed: Partial<CustomerFormValues>) => {
          // A changed identity needs a fresh duplicate verdict before forcing anything.
          if (['name', 'phones', 'email', 'credit_code'].some((k) => k in changed)) setConflict(null);
        }}
        data-testid="customer-form"
      >
        <Row gutter={16}>
          <Col xs={24}>
            <Form.Item name="kind" label={t('customers.fields.kind')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'company', label: t('customers.kinds.company') },
                  { value: 'person', label: t('customers.kinds.person') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={16}>
            <Form.Item
              name="name"
              label={t('customers.fields.name')}
              rules={[{ required: true, whitespace: true, message: t('customers.nameRequired') }]}
            >
              <Input maxLength={200} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="short_name" label={t('customers.fields.short_name')}>
              <Input maxLength={100} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="phones" label={t('customers.fields.phones')} extra={t('customers.phonesHelp')}>
              <Select mode="tags" open={false} tokenSeparators={[',', '，', ';', '；']} suffixIcon={null} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="email" label={t('customers.fields.email')} rules={[{ type: 'email', message: t('customers.emailInvalid') }]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="credit_code" label={t('customers.fields.credit_code')}>
              <Input maxLength={18} autoComplete="off" style={{ textTransform: 'uppercase' }} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="website" label={t('customers.fields.website')}>
              <Input maxLength={300} autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          {t('customers.sections.classification')}
        </Divider>
        <Row gutter={16}>
          <Col xs={24} sm={8}>
            <Form.Item name="status" label={t('customers.fields.status')}>
              <Select options={CUSTOMER_STATUSES.map((s) => ({ value: s, label: t(`customers.statuses.${s}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="level" label={t('customers.fields.level')}>
              <Select allowClear options={levels.map((l) => ({ value: l, label: l }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="source" label={t('customers.fields.source')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="industry" label={t('customers.fields.industry')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="tag_ids" label={t('customers.fields.tags')}>
              <TagSelect multiple />
            </Form.Item>
          </Col>
          {!editing && ASSIGNING_ROLES.has(me.user.role) && (
            <Col {...col}>
              <Form.Item name="owner_id" label={t('customers.fields.owner')}>
                <UserSelect allowClear={false} />
              </Form.Item>
            </Col>
          )}
        </Row>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          {t('customers.sections.region')}
        </Divider>
        <Row gutter={16}>
          <Col xs={24} sm={8}>
            <Form.Item name="province" label={t('customers.fields.province')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="city" label={t('customers.fields.city')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="district" label={t('customers.fields.district')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="address" label={t('customers.fields.address')}>
              <Input maxLength={300} />
            </Form.Item>
          </Col>
        </Row>
        {(fields.data?.length ?? 0) > 0 && (
          <>
            <Divider orientation="left" plain style={{ marginTop: 0 }}>
              {t('customers.sections.custom')}
            </Divider>
            <Flex vertical>
              <CustomFieldItems fields={fields.data ?? []} />
            </Flex>
          </>
        )}
      </Form>
      {disputing && (
        <DisputeModal
          customer={disputing}
          onClose={() => setDisputing(null)}
        />
      )}
    </Drawer>
  );
}
