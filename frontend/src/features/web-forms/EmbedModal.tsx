import { CopyOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Flex, Input, Modal, Segmented, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import i18n, { currentLanguage, type Language } from '../../i18n';
import type { WebForm } from './api';
import { embedSnippet, type EmbedLabels, publicFormUrl } from './embed';

function labelsIn(language: Language): EmbedLabels {
  const t = i18n.getFixedT(language);
  return {
    name: t('webForms.embedLabels.name'),
    company: t('webForms.embedLabels.company'),
    phone: t('webForms.embedLabels.phone'),
    email: t('webForms.embedLabels.email'),
    message: t('webForms.embedLabels.message'),
    submit: t('webForms.embedLabels.submit'),
    sending: t('webForms.embedLabels.sending'),
    thanks: t('webForms.embedLabels.thanks'),
    failed: t('webForms.embedLabels.failed'),
  };
}

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  throw new Error('no clipboard');
}

/** The code to paste into a web page, in the language of that page, with a copy button. */
export function EmbedModal({ form, onClose }: { form: WebForm; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [language, setLanguage] = useState<Language>(currentLanguage());
  const origin = window.location.origin;
  const snippet = useMemo(() => embedSnippet(form, origin, labelsIn(language)), [form, origin, language]);

  const copy = () =>
    copyText(snippet).then(
      () => void message.success(t('webForms.copied')),
      () => void message.warning(t('webForms.copyManually')),
    );

  return (
    <Modal
      open
      width={760}
      title={t('webForms.embedTitle', { name: form.name })}
      onCancel={onClose}
      footer={
        <Flex justify="space-between">
          <Button onClick={onClose} data-testid="embed-close">
            {t('common.close')}
          </Button>
          <Button type="primary" icon={<CopyOutlined />} onClick={() => void copy()} data-testid="embed-copy">
            {t('webForms.copy')}
          </Button>
        </Flex>
      }
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('webForms.embedHelp')}</Typography.Paragraph>
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }} gap={8} wrap>
        <Typography.Text type="secondary" copyable={{ text: publicFormUrl(origin, form.token) }} style={{ fontSize: 12 }}>
          {t('webForms.endpoint')}: <Typography.Text code>{publicFormUrl(origin, form.token)}</Typography.Text>
        </Typography.Text>
        <Segmented<Language>
          size="small"
          value={language}
          onChange={setLanguage}
          options={[
            { value: 'zh-CN', label: '中文' },
            { value: 'en', label: 'English' },
          ]}
        />
      </Flex>
      <Input.TextArea
        readOnly
        value={snippet}
        autoSize={{ minRows: 12, maxRows: 22 }}
        style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 }}
        onFocus={(e) => e.target.select()}
        data-testid="embed-snippet"
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
        {t('webForms.honeypotHelp')}
      </Typography.Paragraph>
    </Modal>
  );
}
