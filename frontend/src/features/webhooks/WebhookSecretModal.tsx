import { Alert, Button, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Shows a signing secret once (after create or rotate); dismissed only on purpose. */
export function WebhookSecretModal({
  secret,
  rotated,
  onClose,
}: {
  secret: string;
  rotated?: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={rotated ? t('webhooks.rotatedTitle') : t('webhooks.createdTitle')}
      closable={false}
      maskClosable={false}
      keyboard={false}
      footer={
        <Button type="primary" onClick={onClose} data-testid="webhook-secret-done">
          {t('webhooks.secretDone')}
        </Button>
      }
    >
      <Alert type="warning" showIcon message={t('webhooks.secretWarning')} style={{ margin: '16px 0' }} />
      <Typography.Paragraph
        copyable={{ text: secret, tooltips: [t('webhooks.copySecret'), t('common.copied')] }}
        style={{ padding: '12px 16px', background: '#f6f8fb', borderRadius: 6, border: '1px solid #e3e8ef', wordBreak: 'break-all' }}
        data-testid="webhook-secret"
      >
        {secret}
      </Typography.Paragraph>
      <Typography.Text type="secondary">{t('webhooks.secretHelp')}</Typography.Text>
    </Modal>
  );
}
