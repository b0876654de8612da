import { App as AntApp, Button, Col, Divider, Drawer, Form, Input, Row, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';

import { TeamSelect } from '../../components/TeamSelect';
import { UserSelect } from '../../components/UserSelect';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { CustomerSelect } from '../contracts/CustomerSelect';
import { useCreateTicket, useTicketSettings } from './api';
import { createBody, type TicketFormValues } from './form';
import { CHANNELS, PRIORITIES, typeLabel } from './statuses';
import type { Ticket } from './types';

/** A new ticket taken by phone, e-mail or WeChat; without an agent the routing rules pick one. */
export function TicketFormDrawer({
  customerId,
  customerName,
  onClose,
  onSaved,
}: {
  customerId?: string;
  /** The preset customer's name, shown at once. */
  customerName?: string;
  onClose: () => void;
  onSaved?: (ticket: Ticket) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<TicketFormValues>();
  const settings = useTicketSettings();
  const create = useCreateTicket();
  const types = settings.data?.types ?? ['question'];

  const save = (values: TicketFormValues) =>
    create.mutate(createBody(values), {
      onSuccess: (ticket) => {
        void message.success(t('tickets.created', { number: ticket.number }));
        onSaved?.(ticket);
        onClose();
      },
      onError: (error) => {
        if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
      },
    });

  const half = { xs: 24, sm: 12 };
  const third = { xs: 24, sm: 8 };
  return (
    <Drawer
      open
      width={720}
      title={t('tickets.createTitle')}
      onClose={onClose}
      maskClosable={!create.isPending}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="ticket-form-submit">
            {t('common.create')}
          </Button>
        </Space>
      }
    >
      <Form<TicketFormValues>
        form={form}
        layout="vertical"
        initialValues={{ subject: '', channel: 'phone', type: types[0], priority: 'normal', customer_id: customerId ?? null }}
        onFinish={save}
        data-testid="ticket-form"
      >
        <Form.Item
          name="subject"
          label={t('tickets.fields.subject')}
          rules={[{ required: true, whitespace: true, message: t('tickets.subjectRequired') }]}
        >
          <Input maxLength={200} autoComplete="off" />
        </Form.Item>
        <Form.Item name="description" label={t('tickets.fields.description')}>
          <Input.TextArea rows={4} maxLength={20000} />
        </Form.Item>
        <Row gutter={16}>
          <Col {...third}>
            <Form.Item name="channel" label={t('tickets.fields.channel')}>
              <Select options={CHANNELS.map((c) => ({ value: c, label: t(`tickets.channels.${c}`) }))} />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="type" label={t('tickets.fields.type')}>
              <Select options={types.map((type) => ({ value: type, label: typeLabel(type) }))} loading={settings.isPending} />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="priority" label={t('tickets.fields.priority')}>
              <Select options={PRIORITIES.map((p) => ({ value: p, label: t(`tickets.priorities.${p}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          {t('tickets.sections.requester')}
        </Divider>
        <Row gutter={16}>
          <Col xs={24}>
            <Form.Item name="customer_id" label={t('tickets.fields.customer')} extra={customerId ? undefined : t('tickets.customerHelp')}>
              <CustomerSelect disabled={Boolean(customerId)} knownLabel={customerName} data-testid="ticket-form-customer" />
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
            <Form.Item
              name="requester_email"
              label={t('tickets.fields.requester_email')}
              rules={[{ type: 'email', message: t('customers.emailInvalid') }]}
            >
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          {t('tickets.sections.assignment')}
        </Divider>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="team_id" label={t('tickets.fields.team')}>
              <TeamSelect placeholder={t('tickets.byRules')} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="assignee_id" label={t('tickets.fields.assignee')} extra={t('tickets.assigneeHelp')}>
              <UserSelect placeholder={t('tickets.byRules')} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
