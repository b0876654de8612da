import { Alert, Button, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { ApiKeyCreated } from '../../api/types';

/** Shows the secret once. It can only be dismissed on purpose, never by a stray click. */
export function ApiKeyCreatedModal({ created, onClose }: { created: ApiKeyCreated; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={t('apiKeys.createdTitle')}
      closable={false}
      maskClosable={false}
      keyboard={false}
      footer={
        <Button type="primary" onClick={onClose} data-testid="api-key-done">
          {t('apiKeys.done')}
        </Button>
      }
    >
      <Alert type="warning" showIcon message={t('apiKeys.createdWarning')} style={{ margin: '16px 0' }} />
      <Typography.Paragraph
        className="rapport-key"
        copyable={{ text: created.key, tooltips: [t('apiKeys.copyKey'), t('common.copied')] }}
        style={{ padding: '12px 16px', background: '#f6f8fb', borderRadius: 6, border: '1px solid #e3e8ef' }}
        data-testid="api-key-secret"
      >
        {created.key}
      </Typography.Paragraph>
      <Typography.Text type="secondary">{t('apiKeys.createdHelp')}</Typography.Text>
    </Modal>
  );
}
