import { App as AntApp, Checkbox, Form, Modal } from 'antd';
import { useTranslation } from 'react-i18next';

import { TeamSelect } from '../../components/TeamSelect';
import { UserSelect } from '../../components/UserSelect';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useAssignTicket } from './api';
import type { Ticket } from './types';

interface AssignValues {
  assignee_id: string | null;
  team_id: string | null;
  reroute: boolean;
}

/** Hand a ticket to an agent or team, back to the unassigned queue, or to the routing rules. */
export function AssignModal({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<AssignValues>();
  const assign = useAssignTicket();
  const reroute = Form.useWatch('reroute', form);
  return (
    <Modal
      open
      title={t('tickets.assign.title', { number: ticket.number })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={assign.isPending}
      okButtonProps={{ 'data-testid': 'ticket-assign-submit' }}
      destroyOnHidden
    >
      <Form<AssignValues>
        form={form}
        layout="vertical"
        initialValues={{ assignee_id: ticket.assignee_id, team_id: ticket.team_id, reroute: false }}
        onFinish={(values) =>
          assign.mutate(
            {
              ticket,
              body: values.reroute
                ? { reroute: true }
                : { assignee_id: values.assignee_id ?? null, team_id: values.team_id ?? null, reroute: false },
            },
            {
              onSuccess: () => {
                void message.success(t('tickets.assign.done'));
                onClose();
              },
              onError: (error) => {
                if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
              },
            },
          )
        }
        data-testid="ticket-assign-form"
      >
        <Form.Item name="team_id" label={t('tickets.fields.team')}>
          <TeamSelect />
        </Form.Item>
        <Form.Item name="assignee_id" label={t('tickets.fields.assignee')} extra={t('tickets.assign.emptyHelp')}>
          <UserSelect data-testid="ticket-assign-user" />
        </Form.Item>
        <Form.Item name="reroute" valuePropName="checked" extra={reroute ? t('tickets.assign.rerouteHelp') : undefined}>
          <Checkbox>{t('tickets.assign.reroute')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
