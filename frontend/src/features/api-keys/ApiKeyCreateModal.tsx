import { App as AntApp, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';

import type { ApiKeyCreated } from '../../api/types';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useCreateApiKey } from './api';
import { ScopePicker } from './ScopePicker';
import { selectionToScopes, type ScopeSelection } from './scopes';

interface ApiKeyFormValues {
  name: string;
  scopes: ScopeSelection;
}

export function ApiKeyCreateModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (created: ApiKeyCreated) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ApiKeyFormValues>();
  const create = useCreateApiKey();

  const onFinish = (values: ApiKeyFormValues) => {
    create.mutate(
      { name: values.name.trim(), scopes: selectionToScopes(values.scopes) },
      {
        onSuccess: onCreated,
        onError: (error) => {
          if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
        },
      },
    );
  };

  return (
    <Modal
      open
      width={620}
      title={t('apiKeys.createTitle')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
    >
      <Form<ApiKeyFormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{ name: '', scopes: { all: false, modules: {} } }}
        style={{ marginTop: 16 }}
      >
        <Form.Item
          name="name"
          label={t('apiKeys.name')}
          rules={[{ required: true, whitespace: true, message: t('apiKeys.nameRequired') }]}
        >
          <Input placeholder={t('apiKeys.namePlaceholder')} maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item
          name="scopes"
          label={t('apiKeys.scopes')}
          rules={[
            {
              validator: (_, value: ScopeSelection | undefined) =>
                !value || selectionToScopes(value).length === 0
                  ? Promise.reject(new Error(t('apiKeys.scopesRequired')))
                  : Promise.resolve(),
            },
          ]}
        >
          <ScopePicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}
