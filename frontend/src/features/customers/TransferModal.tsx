import { App as AntApp, DatePicker, Form, Input, Modal, Switch, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';

import type { Customer } from '../../api/types';
import { UserSelect } from '../../components/UserSelect';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useBulkTransfer, useTransferCustomer } from './api';

interface TransferValues {
  to_user_id: string;
  reason?: string;
  move_open_tasks: boolean;
  keep_previous_until?: Dayjs | null;
}

/** Give one customer (`customer`) or the selected ones (`customerIds`) to another owner. */
export function TransferModal({
  customer,
  customerIds,
  onClose,
  onDone,
}: {
  customer?: Customer;
  customerIds?: string[];
  onClose: () => void;
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<TransferValues>();
  const single = useTransferCustomer();
  const bulk = useBulkTransfer();
  const count = customer ? 1 : (customerIds?.length ?? 0);

  const onFinish = (values: TransferValues) => {
    const body = {
      to_user_id: values.to_user_id,
      reason: values.reason?.trim() || null,
      move_open_tasks: values.move_open_tasks,
      keep_previous_until: values.keep_previous_until ? values.keep_previous_until.endOf('day').toISOString() : null,
    };
    const onError = (error: unknown) => {
      if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
    };
    const onSuccess = (result: { transferred: number; skipped: string[] }) => {
      if (result.skipped.length > 0) {
        void message.warning(t('transfer.partial', { count: result.transferred, skipped: result.skipped.length }));
      } else {
        void message.success(t('transfer.done', { count: result.transferred }));
      }
      onDone?.();
      onClose();
    };
    if (customer) single.mutate({ id: customer.id, body }, { onSuccess, onError });
    else bulk.mutate({ ...body, customer_ids: customerIds ?? [] }, { onSuccess, onError });
  };

  return (
    <Modal
      open
      title={customer ? t('transfer.titleOne', { name: customer.name }) : t('transfer.titleMany', { count })}
      okText={t('transfer.submit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={single.isPending || bulk.isPending}
      okButtonProps={{ 'data-testid': 'transfer-submit' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('transfer.help')}</Typography.Paragraph>
      <Form<TransferValues>
        form={form}
        layout="vertical"
        initialValues={{ move_open_tasks: true }}
        onFinish={onFinish}
        data-testid="transfer-form"
      >
        <Form.Item
          name="to_user_id"
          label={t('transfer.to')}
          rules={[{ required: true, message: t('transfer.toRequired') }]}
        >
          <UserSelect
            exclude={customer?.owner_id ? [customer.owner_id] : []}
            placeholder={t('transfer.toPlaceholder')}
            data-testid="transfer-to"
          />
        </Form.Item>
        <Form.Item name="reason" label={t('transfer.reason')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} />
        </Form.Item>
        <Form.Item name="move_open_tasks" label={t('transfer.moveTasks')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="keep_previous_until" label={t('transfer.keepPrevious')} extra={t('transfer.keepPreviousHelp')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
