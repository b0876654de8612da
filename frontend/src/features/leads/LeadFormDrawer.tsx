import { App as AntApp, Button, Col, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { UserSelect } from '../../components/UserSelect';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useSession } from '../auth';
import { useCampaignDirectory } from '../campaigns/api';
import { useCustomFields } from '../custom-fields/api';
import { CustomFieldItems } from '../custom-fields/CustomFieldInput';
import { customValuesToForm } from '../custom-fields/values';
import { useCreateLead, useUpdateLead } from './api';
import { createBody, type LeadFormValues, updateBody } from './form';
import { SETTABLE_STATUSES } from './statuses';
import type { Lead } from './types';

const MANAGERS = new Set(['owner', 'admin', 'manager']);

/** Create a lead (no `lead`) or edit one; without an owner the assignment rules pick one. */
export function LeadFormDrawer({
  lead,
  onClose,
  onSaved,
}: {
  lead?: Lead;
  onClose: () => void;
  onSaved?: (lead: Lead) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useSession();
  const manager = MANAGERS.has(me.user.role);
  const [form] = Form.useForm<LeadFormValues>();
  const fields = useCustomFields('lead');
  const campaigns = useCampaignDirectory();
  const create = useCreateLead();
  const update = useUpdateLead();
  const editing = lead !== undefined;
  const pending = create.isPending || update.isPending;

  const initialValues: LeadFormValues = useMemo(
    () =>
      lead
        ? {
            name: lead.name,
            company: lead.company ?? '',
            title: lead.title ?? '',
            phones: lead.phones,
            email: lead.email ?? '',
            province: lead.province ?? '',
            city: lead.city ?? '',
            source: lead.source ?? '',
            campaign_id: lead.campaign_id,
            status: lead.status,
            score: lead.score,
            notes: lead.notes ?? '',
            owner_id: lead.owner_id,
            custom_fields: customValuesToForm(fields.data ?? [], lead.custom_fields),
          }
        : { name: '', phones: [], score: 0, custom_fields: customValuesToForm(fields.data ?? [], {}) },
    [lead, fields.data],
  );

  const onError = (error: unknown) => {
    if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
  };

  const save = (values: LeadFormValues) => {
    const defs = fields.data ?? [];
    if (lead) {
      const body = updateBody(lead, values, defs);
      if (Object.keys(body).length === 0) {
        onClose();
        return;
      }
      update.mutate(
        { lead, body },
        {
          onSuccess: (saved) => {
            void message.success(t('leads.saved'));
            onSaved?.(saved);
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(createBody(values, defs), {
        onSuccess: (saved) => {
          void message.success(t('leads.created', { name: saved.name }));
          onSaved?.(saved);
          onClose();
        },
        onError,
      });
    }
  };

  const half = { xs: 24, sm: 12 };
  return (
    <Drawer
      open
      width={720}
      title={editing ? t('leads.editTitle', { name: lead.name }) : t('leads.createTitle')}
      onClose={onClose}
      maskClosable={!pending}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={pending} onClick={() => form.submit()} data-testid="lead-form-submit">
            {editing ? t('common.save') : t('common.create')}
          </Button>
        </Space>
      }
    >
      <Form<LeadFormValues>
        key={fields.isSuccess ? 'ready' : 'loading'}
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={save}
        data-testid="lead-form"
      >
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item
              name="name"
              label={t('leads.fields.name')}
              rules={[{ required: true, whitespace: true, message: t('leads.nameRequired') }]}
            >
              <Input maxLength={100} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="title" label={t('leads.fields.title')}>
              <Input maxLength={100} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="company" label={t('leads.fields.company')}>
              <Input maxLength={200} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="phones" label={t('leads.fields.phones')} extra={t('customers.phonesHelp')}>
              <Select mode="tags" open={false} tokenSeparators={[',', '，', ';', '；']} suffixIcon={null} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="email" label={t('leads.fields.email')} rules={[{ type: 'email', message: t('customers.emailInvalid') }]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="province" label={t('leads.fields.province')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="city" label={t('leads.fields.city')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
        </Row>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          {t('leads.sections.origin')}
        </Divider>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="source" label={t('leads.fields.source')} extra={editing ? t('leads.originFixed') : undefined}>
              <Input maxLength={100} disabled={editing} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="campaign_id" label={t('leads.fields.campaign')}>
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                disabled={editing}
                loading={campaigns.isPending}
                options={campaigns.campaigns.map((c) => ({ value: c.id, label: c.name }))}
              />
            </Form.Item>
          </Col>
          {editing && (
            <Col {...half}>
              <Form.Item name="status" label={t('leads.fields.status')}>
                <Select
                  disabled={lead.status === 'converted'}
                  options={SETTABLE_STATUSES.map((s) => ({ value: s, label: t(`leads.statuses.${s}`) }))}
                />
              </Form.Item>
            </Col>
          )}
          <Col {...half}>
            <Form.Item name="score" label={t('leads.fields.score')}>
              <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {manager && (
            <Col {...half}>
              <Form.Item
                name="owner_id"
                label={t('leads.fields.owner')}
                extra={editing ? undefined : t('leads.ownerByRules')}
              >
                <UserSelect placeholder={t('leads.ownerByRulesPlaceholder')} allowClear={!editing} />
              </Form.Item>
            </Col>
          )}
          <Col xs={24}>
            <Form.Item name="notes" label={t('leads.fields.notes')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
            </Form.Item>
          </Col>
        </Row>
        {(fields.data?.length ?? 0) > 0 && (
          <>
            <Divider orientation="left" plain style={{ marginTop: 0 }}>
              {t('customers.sections.custom')}
            </Divider>
            <CustomFieldItems fields={fields.data ?? []} />
          </>
        )}
      </Form>
    </Drawer>
  );
}
