import { App as AntApp, Button, Col, DatePicker, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { isApiProblem } from '../../api/problem';
import type { Opportunity } from '../../api/types';
import { UserSelect } from '../../components/UserSelect';
import { useSession } from '../auth';
import { useUserDirectory } from '../users';
import { CustomFieldItems } from '../custom-fields/CustomFieldInput';
import { useCustomFields } from '../custom-fields/api';
import { customValuesToForm } from '../custom-fields/values';
import { useCampaignOptions, useCreateOpportunity, useCustomerContacts, usePipelines, useUpdateOpportunity } from './api';
import { CustomerSelect } from './CustomerSelect';
import { LineItemsEditor } from './LineItemsEditor';
import { createBody, type DealFormValues, formFromDeal, hasLines, linesTotal, updateBody } from './dealForm';
import { applyDealProblem, dealProblemMessage, stageName } from './labels';
import { CURRENCIES, formatMoney } from './money';

const ASSIGNING_ROLES = new Set(['owner', 'admin', 'manager']);
const LINE_CODES = new Set(['currency_mismatch', 'invalid_line_items', 'value_too_large']);

/**
 * Create a deal (no `deal`) or edit one. Stages change by moving, winning or losing, so an
 * edit does not offer the stage; the customer of a deal is fixed once it exists.
 */
export function DealFormDrawer({
  deal,
  defaults,
  onClose,
  onSaved,
}: {
  deal?: Opportunity;
  defaults?: { customer_id?: string; pipeline_id?: string; stage_id?: string };
  onClose: () => void;
  onSaved?: (deal: Opportunity) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useSession();
  const users = useUserDirectory();
  const [form] = Form.useForm<DealFormValues>();
  const fields = useCustomFields('opportunity');
  const pipelines = usePipelines();
  const create = useCreateOpportunity();
  const update = useUpdateOpportunity();
  const editing = deal !== undefined;
  const pending = create.isPending || update.isPending;
  const canAssign = ASSIGNING_ROLES.has(me.user.role);
  const leadsVisible = ASSIGNING_ROLES.has(me.user.role) || (me.permissions.leads?.scope ?? 'none') !== 'none';
  const campaigns = useCampaignOptions(leadsVisible);

  const customerId = Form.useWatch('customer_id', form);
  const pipelineId = Form.useWatch('pipeline_id', form);
  const items = Form.useWatch('items', form);
  const currency = Form.useWatch('currency', form) ?? 'CNY';
  const contacts = useCustomerContacts(customerId);
  const pipeline = (pipelines.data ?? []).find((p) => p.id === pipelineId);
  const openStages = (pipeline?.stages ?? []).filter((s) => s.kind === 'open');
  const withLines = hasLines(items);

  const initialValues: DealFormValues = useMemo(() => {
    if (deal) return formFromDeal(deal, fields.data ?? []);
    const chosen =
      (pipelines.data ?? []).find((p) => p.id === defaults?.pipeline_id) ?? (pipelines.data ?? []).find((p) => p.is_default);
    const firstOpen = chosen?.stages.find((s) => s.kind === 'open');
    return {
      customer_id: defaults?.customer_id ?? null,
      name: '',
      pipeline_id: chosen?.id,
      stage_id: chosen?.stages.some((s) => s.id === defaults?.stage_id && s.kind === 'open') ? defaults?.stage_id : firstOpen?.id,
      amount: null,
      currency: 'CNY',
      owner_id: me.user.id,
      items: [],
      custom_fields: customValuesToForm(fields.data ?? [], {}),
    };
    // The form remounts when the definitions and pipelines arrive.
  }, [deal, fields.data, pipelines.data, defaults, me.user.id]);

  const onError = (error: unknown) => {
    const onFields = applyDealProblem(form, error);
    // Line item problems sit on rows that may be scrolled away: say so at the top too.
    if (!onFields || (isApiProblem(error) && LINE_CODES.has(error.code))) void message.error(dealProblemMessage(error));
  };

  const save = (values: DealFormValues) => {
    const defs = fields.data ?? [];
    if (deal) {
      const body = updateBody(deal, values, defs);
      if (Object.keys(body).length === 0) {
        onClose();
        return;
      }
      update.mutate(
        { deal, body },
        {
          onSuccess: (saved) => {
            void message.success(t('deals.saved'));
            onSaved?.(saved);
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(createBody(values, defs), {
        onSuccess: (saved) => {
          void message.success(t('deals.created', { name: saved.name }));
          onSaved?.(saved);
          onClose();
        },
        onError,
      });
    }
  };

  const col = { xs: 24, sm: 12 };
  const ready = fields.isSuccess && pipelines.isSuccess;

  return (
    <Drawer
      open
      width={920}
      title={editing ? t('deals.editTitle', { name: deal.name }) : t('deals.createTitle')}
      onClose={onClose}
      maskClosable={!pending}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={pending} onClick={() => form.submit()} data-testid="deal-form-submit">
            {editing ? t('common.save') : t('common.create')}
          </Button>
        </Space>
      }
    >
      <Form<DealFormValues>
        key={ready ? 'ready' : 'loading'}
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={save}
        onValuesChange={(changed: Partial<DealFormValues>) => {
          if ('customer_id' in changed) form.setFieldValue('contact_id', null);
          if ('pipeline_id' in changed) {
            const next = (pipelines.data ?? []).find((p) => p.id === changed.pipeline_id);
            form.setFieldValue('stage_id', next?.stages.find((s) => s.kind === 'open')?.id);
          }
        }}
        data-testid="deal-form"
      >
        <Row gutter={16}>
          <Col {...col}>
            <Form.Item
              name="customer_id"
              label={t('deals.fields.customer')}
              rules={[{ required: true, message: t('deals.form.customerRequired') }]}
              extra={editing ? t('deals.form.customerFixed') : undefined}
            >
              <CustomerSelect disabled={editing} data-testid="deal-customer" />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="contact_id" label={t('deals.fields.contact')}>
              <Select
                allowClear
                disabled={!customerId}
                placeholder={customerId ? t('common.none') : t('deals.form.pickCustomerFirst')}
                options={(contacts.data ?? []).map((c) => ({ value: c.id, label: c.title ? `${c.name} · ${c.title}` : c.name }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item
              name="name"
              label={t('deals.fields.name')}
              rules={[{ required: true, whitespace: true, message: t('deals.form.nameRequired') }]}
            >
              <Input maxLength={200} autoComplete="off" placeholder={t('deals.form.namePlaceholder')} data-testid="deal-name" />
            </Form.Item>
          </Col>
          {!editing && (
            <>
              <Col {...col}>
                <Form.Item name="pipeline_id" label={t('deals.fields.pipeline')}>
                  <Select options={(pipelines.data ?? []).map((p) => ({ value: p.id, label: p.name }))} />
                </Form.Item>
              </Col>
              <Col {...col}>
                <Form.Item name="stage_id" label={t('deals.fields.stage')}>
                  <Select
                    options={openStages.map((s) => ({ value: s.id, label: `${stageName(s, i18n.language)} · ${s.probability}%` }))}
                    data-testid="deal-stage"
                  />
                </Form.Item>
              </Col>
            </>
          )}
          <Col xs={24} sm={8}>
            {withLines ? (
              <Form.Item label={t('deals.fields.amount')} extra={t('deals.form.amountFromLines')}>
                <Typography.Text strong style={{ lineHeight: '32px' }} data-testid="deal-amount-from-lines">
                  {formatMoney(linesTotal(items), currency, i18n.language)}
                </Typography.Text>
              </Form.Item>
            ) : (
              <Form.Item name="amount" label={t('deals.fields.amount')}>
                <InputNumber<string> stringMode min="0" precision={2} style={{ width: '100%' }} data-testid="deal-amount" />
              </Form.Item>
            )}
          </Col>
          <Col xs={12} sm={4}>
            <Form.Item name="currency" label={t('deals.fields.currency')}>
              <Select
                showSearch
                options={[...new Set([...CURRENCIES, currency])].map((c) => ({ value: c, label: c }))}
                data-testid="deal-currency"
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="expected_close_date" label={t('deals.fields.expected_close_date')}>
              <DatePicker style={{ width: '100%' }} data-testid="deal-close-date" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="probability" label={t('deals.fields.probability')} extra={t('deals.form.probabilityHelp')}>
              <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: '100%' }} placeholder={t('deals.form.stageDefault')} />
            </Form.Item>
          </Col>
          <Col {...col}>
            {canAssign ? (
              <Form.Item name="owner_id" label={t('deals.fields.owner')}>
                <UserSelect allowClear={false} />
              </Form.Item>
            ) : (
              <Form.Item label={t('deals.fields.owner')} extra={t('deals.form.ownerSelf')}>
                <Typography.Text style={{ lineHeight: '32px' }}>
                  {users.byId.get(deal?.owner_id ?? me.user.id)?.name ?? me.user.name}
                </Typography.Text>
              </Form.Item>
            )}
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="source" label={t('deals.fields.source')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="campaign_id" label={t('deals.fields.campaign')}>
              <Select
                allowClear
                disabled={!leadsVisible}
                placeholder={t('common.none')}
                options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Divider orientation="left" orientationMargin={0} style={{ marginTop: 0 }}>
          {t('deals.lines.title')}
        </Divider>
        <LineItemsEditor form={form} />
        <Divider />
        <Form.Item name="notes" label={t('deals.fields.notes')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={10_000} />
        </Form.Item>
        {(fields.data?.length ?? 0) > 0 && (
          <>
            <Divider orientation="left" orientationMargin={0}>
              {t('deals.customFields')}
            </Divider>
            <Row gutter={16}>
              <Col xs={24}>
                <CustomFieldItems fields={fields.data ?? []} />
              </Col>
            </Row>
          </>
        )}
      </Form>
    </Drawer>
  );
}
