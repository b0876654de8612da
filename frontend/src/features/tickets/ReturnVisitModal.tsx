import { App as AntApp, DatePicker, Form, Input, Modal, Rate, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';

import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useContacts } from '../customers/api';
import { useLogReturnVisit } from './api';
import { returnVisitBody, type ReturnVisitValues } from './returnVisit';
import type { Ticket } from './types';

/** 回访: what the customer said after the resolution and how satisfied they are (1–5). */
export function ReturnVisitModal({ ticket, onClose }: { ticket: Ticket & { customer_id: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ReturnVisitValues>();
  const log = useLogReturnVisit(ticket);
  const contacts = useContacts(ticket.customer_id);
  const score = Form.useWatch('satisfaction', form) as number | undefined;
  return (
    <Modal
      open
      title={t('tickets.returnVisit.title', { number: ticket.number })}
      okText={t('tickets.returnVisit.submit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={log.isPending}
      okButtonProps={{ 'data-testid': 'return-visit-submit' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('tickets.returnVisit.help', { customer: ticket.customer_name ?? '…' })}</Typography.Paragraph>
      <Form<ReturnVisitValues>
        form={form}
        layout="vertical"
        initialValues={{ content: '', contact_id: ticket.contact_id, occurred_at: dayjs() }}
        onFinish={(values) =>
          log.mutate(returnVisitBody(values), {
            onSuccess: () => {
              void message.success(t('tickets.returnVisit.logged'));
              onClose();
            },
            onError: (error) => {
              if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
            },
          })
        }
        data-testid="return-visit-form"
      >
        <Form.Item
          name="satisfaction"
          label={t('tickets.returnVisit.satisfaction')}
          rules={[{ required: true, message: t('tickets.returnVisit.satisfactionRequired') }]}
          extra={score ? t(`tickets.survey.scores.${score}`, { defaultValue: '' }) : undefined}
        >
          <Rate data-testid="return-visit-rate" />
        </Form.Item>
        <Form.Item name="content" label={t('tickets.returnVisit.content')} rules={[{ required: true, whitespace: true, message: t('tickets.returnVisit.contentRequired') }]}>
          <Input.TextArea rows={4} maxLength={10000} placeholder={t('tickets.returnVisit.contentPlaceholder')} data-testid="return-visit-content" />
        </Form.Item>
        <Form.Item name="contact_id" label={t('tickets.edit.contact')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            loading={contacts.isPending}
            placeholder={t('tickets.edit.contactPlaceholder')}
            options={(contacts.data ?? []).map((c) => ({ value: c.id, label: c.title ? `${c.name} · ${c.title}` : c.name }))}
          />
        </Form.Item>
        <Form.Item name="occurred_at" label={t('tickets.returnVisit.when')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
