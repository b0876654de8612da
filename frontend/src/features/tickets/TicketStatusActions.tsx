import { CheckOutlined, PauseCircleOutlined, PlayCircleOutlined, RedoOutlined, StopOutlined } from '@ant-design/icons';
import { App as AntApp, Button, DatePicker, Form, Input, Modal, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { UserSelect } from '../../components/UserSelect';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useChangeStatus } from './api';
import { type StatusAction, statusActions } from './statuses';
import type { Ticket, TicketStatus } from './types';

const ICONS: Record<StatusAction, ReactNode> = {
  open: <PlayCircleOutlined />,
  pending: <PauseCircleOutlined />,
  resolve: <CheckOutlined />,
  close: <StopOutlined />,
  reopen: <RedoOutlined />,
};

interface NoteValues {
  note?: string;
  return_visit_at?: Dayjs | null;
  return_visit_assignee_id?: string | null;
}

/** The status buttons the server allows now; resolving, closing and reopening ask for a note. */
export function TicketStatusActions({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const change = useChangeStatus();
  const [asking, setAsking] = useState<{ action: StatusAction; to: TicketStatus } | null>(null);
  const [form] = Form.useForm<NoteValues>();
  const actions = statusActions(ticket.status, ticket.allowed_statuses);

  const run = (to: TicketStatus, values: NoteValues = {}) =>
    change.mutate(
      {
        ticket,
        body: {
          status: to,
          ...(values.note?.trim() ? { note: values.note.trim() } : {}),
          ...(values.return_visit_at ? { return_visit_at: values.return_visit_at.toISOString() } : {}),
          ...(values.return_visit_assignee_id ? { return_visit_assignee_id: values.return_visit_assignee_id } : {}),
        },
      },
      {
        onSuccess: (saved) => {
          setAsking(null);
          void message.success(t('tickets.statusChanged', { status: t(`tickets.statuses.${saved.status}`) }));
        },
        onError: (error) => {
          if (!asking || !applyProblemToForm(form, error)) void message.error(problemMessage(error));
        },
      },
    );

  return (
    <>
      <Space wrap>
        {actions.map(({ action, to }) => (
          <Button
            key={action}
            type={action === 'resolve' ? 'primary' : 'default'}
            icon={ICONS[action]}
            loading={change.isPending && change.variables?.body.status === to && !asking}
            onClick={() => {
              if (action === 'open' || action === 'pending') run(to);
              else {
                form.resetFields();
                setAsking({ action, to });
              }
            }}
            data-testid={`ticket-action-${action}`}
          >
            {t(`tickets.actions.${action}`)}
          </Button>
        ))}
      </Space>
      {asking && (
        <Modal
          open
          title={t(`tickets.actions.${asking.action}`)}
          okText={t(`tickets.actions.${asking.action}`)}
          cancelText={t('common.cancel')}
          onCancel={() => setAsking(null)}
          onOk={() => form.submit()}
          confirmLoading={change.isPending}
          okButtonProps={{ 'data-testid': 'ticket-status-confirm' }}
          destroyOnHidden
        >
          <Form<NoteValues> form={form} layout="vertical" onFinish={(values) => run(asking.to, values)}>
            <Form.Item name="note" label={t('tickets.statusNote')}>
              <Input.TextArea rows={3} maxLength={1000} data-testid="ticket-status-note" />
            </Form.Item>
            {asking.action === 'resolve' && (
              <>
                <Form.Item name="return_visit_at" label={t('tickets.returnVisitAt')} extra={t('tickets.returnVisitHelp')}>
                  <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
                </Form.Item>
                <Form.Item name="return_visit_assignee_id" label={t('tickets.returnVisitAssignee')}>
                  <UserSelect placeholder={t('tickets.returnVisitAssigneeDefault')} />
                </Form.Item>
              </>
            )}
          </Form>
        </Modal>
      )}
    </>
  );
}
