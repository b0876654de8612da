import { Alert, App as AntApp, Button, Col, Divider, Drawer, Form, Input, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { isApiProblem } from '../../api/problem';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { CustomerSelect } from '../contracts/CustomerSelect';
import { useContacts } from '../customers/api';
import { TagSelect } from '../tags';
import { useTicket, useTicketSettings, useUpdateTicket } from './api';
import { changedBetween, dropsLinks, type EditableField, type TicketEditValues, ticketToEditForm, updateBody } from './edit';
import { CHANNELS, PRIORITIES, typeLabel } from './statuses';
import type { Ticket } from './types';

const FIELD_LABEL = {
  subject: 'tickets.fields.subject',
  description: 'tickets.fields.description',
  priority: 'tickets.fields.priority',
  type: 'tickets.fields.type',
  channel: 'tickets.fields.channel',
  tag_ids: 'tickets.edit.tags',
  customer_id: 'tickets.fields.customer',
  contact_id: 'tickets.edit.contact',
  requester_name: 'tickets.fields.requester_name',
  requester_phone: 'tickets.fields.requester_phone',
  requester_email: 'tickets.fields.requester_email',
} as const satisfies Record<EditableField, string>;

function ContactSelect({ customerId, value, onChange, id }: { customerId: string; value?: string | null; onChange?: (v: string | null) => void; id?: string }) {
  const { t } = useTranslation();
  const contacts = useContacts(customerId);
  return (
    <Select<string>
      id={id}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      allowClear
      showSearch
      optionFilterProp="label"
      loading={contacts.isPending}
      placeholder={t('tickets.edit.contactPlaceholder')}
      options={(contacts.data ?? []).map((c) => ({ value: c.id, label: c.title ? `${c.name} · ${c.title}` : c.name }))}
    />
  );
}

/**
 * Change a ticket's fields. The save carries the version the form started from; when someone
 * else saved first (412) the latest ticket is loaded and the user chooses: keep their own edits
 * (only the fields they changed are sent) or take the other version.
 */
export function TicketEditDrawer({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<TicketEditValues>();
  const settings = useTicketSettings();
  const update = useUpdateTicket();
  const latest = useTicket(ticket.id);
  // The ticket as the user started editing it (what their changes are measured against) and
  // the version their save claims to replace.
  const [original, setOriginal] = useState(ticket);
  const [base, setBase] = useState(ticket);
  const [conflict, setConflict] = useState<EditableField[] | null>(null);
  const customerId = Form.useWatch('customer_id', form);
  const types = [...new Set([...(settings.data?.types ?? []), ticket.type])];

  /** Saves the user's changes over `version` (the ticket they claim to replace). */
  const send = (values: TicketEditValues, version: Ticket) => {
    const body = updateBody(original, values);
    if (Object.keys(body).length === 0) {
      onClose();
      return;
    }
    update.mutate(
      { ticket: version, body },
      {
        onSuccess: (saved) => {
          void message.success(t('tickets.edit.saved', { number: saved.number }));
          onClose();
        },
        onError: (error) => {
          if (isApiProblem(error) && error.status === 412) {
            void latest.refetch().then(({ data: fresh }) => {
              if (fresh) setConflict(changedBetween(version, fresh));
            });
            return;
          }
          if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
        },
      },
    );
  };

  const fresh = latest.data ?? ticket;
  const keepMine = () => {
    setBase(fresh);
    setConflict(null);
    void form.validateFields().then((values) => send(values, fresh));
  };
  const takeTheirs = () => {
    setOriginal(fresh);
    setBase(fresh);
    setConflict(null);
    form.setFieldsValue(ticketToEditForm(fresh));
  };

  const half = { xs: 24, sm: 12 };
  const third = { xs: 24, sm: 8 };
  return (
    <Drawer
      open
      width={720}
      title={t('tickets.edit.title', { number: ticket.number })}
      onClose={onClose}
      maskClosable={!update.isPending}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={update.isPending} disabled={conflict !== null} onClick={() => form.submit()} data-testid="ticket-edit-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {conflict && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="ticket-edit-conflict"
          message={t('tickets.edit.conflictTitle')}
          description={
            <Space direction="vertical" size={8} style={{ width: '100%' }}>
              <Typography.Text>
                {conflict.length
                  ? t('tickets.edit.conflictFields', { fields: conflict.map((f) => t(FIELD_LABEL[f])).join(t('common.listSeparator')) })
                  : t('tickets.edit.conflictOther')}
              </Typography.Text>
              <Typography.Text type="secondary">{t('tickets.edit.conflictHelp')}</Typography.Text>
              <Space wrap>
                <Button type="primary" size="small" onClick={keepMine} loading={update.isPending} data-testid="ticket-edit-keep-mine">
                  {t('tickets.edit.keepMine')}
                </Button>
                <Button size="small" onClick={takeTheirs} data-testid="ticket-edit-take-theirs">
                  {t('tickets.edit.takeTheirs')}
                </Button>
              </Space>
            </Space>
          }
        />
      )}
      <Form<TicketEditValues>
        form={form}
        layout="vertical"
        initialValues={ticketToEditForm(ticket)}
        onFinish={(values) => send(values, base)}
        onValuesChange={(changed: Partial<TicketEditValues>) => {
          if ('customer_id' in changed) form.setFieldValue('contact_id', null);
        }}
        data-testid="ticket-edit-form"
      >
        <Form.Item name="subject" label={t('tickets.fields.subject')} rules={[{ required: true, whitespace: true, message: t('tickets.subjectRequired') }]}>
          <Input maxLength={200} autoComplete="off" />
        </Form.Item>
        <Form.Item name="description" label={t('tickets.fields.description')}>
          <Input.TextArea rows={4} maxLength={20000} />
        </Form.Item>
        <Row gutter={16}>
          <Col {...third}>
            <Form.Item name="priority" label={t('tickets.fields.priority')} extra={t('tickets.edit.priorityHelp')}>
              <Select options={PRIORITIES.map((p) => ({ value: p, label: t(`tickets.priorities.${p}`) }))} data-testid="ticket-edit-priority" />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="type" label={t('tickets.fields.type')}>
              <Select options={types.map((type) => ({ value: type, label: typeLabel(type) }))} loading={settings.isPending} />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="channel" label={t('tickets.fields.channel')}>
              <Select options={CHANNELS.map((c) => ({ value: c, label: t(`tickets.channels.${c}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="tag_ids" label={t('tickets.edit.tags')}>
          <TagSelect multiple />
        </Form.Item>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          {t('tickets.sections.requester')}
        </Divider>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item
              name="customer_id"
              label={t('tickets.fields.customer')}
              extra={dropsLinks(original, customerId) ? t('tickets.edit.dropsLinks') : undefined}
            >
              <CustomerSelect knownLabel={customerId && customerId === original.customer_id ? original.customer_name : undefined} data-testid="ticket-edit-customer" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="contact_id" label={t('tickets.edit.contact')}>
              {customerId ? <ContactSelect customerId={customerId} /> : <Select disabled placeholder={t('tickets.edit.pickCustomerFirst')} />}
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="requester_name" label={t('tickets.fields.requester_name')}>
              <Input maxLength={100} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="requester_phone" label={t('tickets.fields.requester_phone')}>
              <Input maxLength={40} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="requester_email" label={t('tickets.fields.requester_email')} rules={[{ type: 'email', message: t('customers.emailInvalid') }]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
