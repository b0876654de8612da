import { Form, Input, Modal } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Asks for a reason (or comment) before an audited step: void a payment, reject a contract.
 * `onSubmit` returns the mutation's promise; the modal stays open while it runs and on failure.
 */
export function ReasonModal({
  title,
  label,
  required = true,
  maxLength = 500,
  okText,
  danger = false,
  extra,
  onSubmit,
  onClose,
  testId,
}: {
  title: ReactNode;
  label: ReactNode;
  required?: boolean;
  maxLength?: number;
  okText?: ReactNode;
  danger?: boolean;
  extra?: ReactNode;
  onSubmit: (reason: string) => Promise<unknown>;
  onClose: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    const { reason } = await form.validateFields();
    setBusy(true);
    try {
      await onSubmit(reason?.trim() ?? '');
      onClose();
    } catch {
      // The caller has shown why; the modal stays open for another try.
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={title}
      okText={okText ?? t('common.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={testId ? { danger, 'data-testid': `${testId}-ok` } : { danger }}
      confirmLoading={busy}
      onCancel={onClose}
      destroyOnHidden
      onOk={() => void confirm().catch(() => undefined)}
    >
      <Form form={form} layout="vertical" data-testid={testId}>
        <Form.Item
          name="reason"
          label={label}
          rules={required ? [{ required: true, whitespace: true, message: t('contracts.reasonRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={maxLength} showCount autoFocus />
        </Form.Item>
        {extra}
      </Form>
    </Modal>
  );
}
