import { App as AntApp, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { problemMessage } from '../../lib/problems';
import { useRaiseDispute } from './api';

/** Claim a customer another rep owns; a manager decides. */
export function DisputeModal({
  customer,
  onClose,
}: {
  customer: { customer_id: string; name: string; owner_name: string | null };
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ evidence: string }>();
  const raise = useRaiseDispute();
  return (
    <Modal
      open
      title={t('disputes.raiseTitle', { name: customer.name })}
      okText={t('disputes.submit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={raise.isPending}
      okButtonProps={{ 'data-testid': 'dispute-submit' }}
    >
      <Typography.Paragraph type="secondary">
        {t('disputes.raiseHelp', { owner: customer.owner_name ?? t('duplicates.noOwner') })}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={({ evidence }) =>
          raise.mutate(
            { customer_id: customer.customer_id, evidence: evidence.trim() },
            {
              onSuccess: () => {
                void message.success(t('disputes.raised'));
                onClose();
              },
              onError: (error) => void message.error(problemMessage(error)),
            },
          )
        }
      >
        <Form.Item
          name="evidence"
          label={t('disputes.evidence')}
          rules={[{ required: true, whitespace: true, message: t('disputes.evidenceRequired') }]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={5000} placeholder={t('disputes.evidencePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
