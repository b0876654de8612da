import { App as AntApp, Form, Input, Modal, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';

import { isApiProblem } from '../../api/problem';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useCreateWebhook, useUpdateWebhook } from './api';
import { EVENT_TYPE_SUGGESTIONS, isEventType } from './eventTypes';
import type { WebhookEndpoint, WebhookEndpointCreated } from './types';

interface FormValues {
  url: string;
  description: string;
  event_types: string[];
  active: boolean;
}

/** Create (then show the secret) or edit an endpoint: URL, description, event filter, on/off. */
export function WebhookFormModal({
  endpoint,
  onClose,
  onCreated,
}: {
  endpoint?: WebhookEndpoint;
  onClose: () => void;
  onCreated?: (created: WebhookEndpointCreated) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateWebhook();
  const update = useUpdateWebhook(endpoint?.id ?? '');
  const pending = create.isPending || update.isPending;

  const onError = (error: unknown) => {
    if (isApiProblem(error) && error.code.startsWith('webhook_url_')) {
      // the server's field text is English; the code's catalogue text is in the user's language
      form.setFields([{ name: 'url', errors: [problemMessage(error)] }]);
      return;
    }
    if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
  };

  const onFinish = (values: FormValues) => {
    const body = {
      url: values.url.trim(),
      description: values.description.trim() || null,
      event_types: values.event_types,
      active: values.active,
    };
    if (endpoint) {
      update.mutate(
        { body, version: endpoint.version },
        {
          onSuccess: () => {
            void message.success(t('webhooks.saved'));
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(body, { onSuccess: (created) => onCreated?.(created), onError });
    }
  };

  return (
    <Modal
      open
      width={620}
      title={endpoint ? t('webhooks.editTitle') : t('webhooks.createTitle')}
      okText={endpoint ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={pending}
      okButtonProps={{ 'data-testid': 'webhook-submit' }}
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{
          url: endpoint?.url ?? '',
          description: endpoint?.description ?? '',
          event_types: endpoint?.event_types ?? ['*'],
          active: endpoint?.active ?? true,
        }}
        style={{ marginTop: 16 }}
      >
        <Form.Item
          name="url"
          label={t('webhooks.url')}
          extra={t('webhooks.urlHelp')}
          rules={[
            { required: true, whitespace: true, message: t('webhooks.urlRequired') },
            { pattern: /^https?:\/\/\S+$/, message: t('webhooks.urlInvalid') },
          ]}
        >
          <Input placeholder="https://erp.example.com/rapport/webhooks" maxLength={2000} autoFocus data-testid="webhook-url" />
        </Form.Item>
        <Form.Item name="description" label={t('webhooks.descriptionLabel')}>
          <Input placeholder={t('webhooks.descriptionPlaceholder')} maxLength={500} />
        </Form.Item>
        <Form.Item
          name="event_types"
          label={t('webhooks.eventTypes')}
          extra={t('webhooks.eventTypesHelp')}
          rules={[
            {
              validator: (_, value: string[] | undefined) => {
                if (!value || value.length === 0) return Promise.reject(new Error(t('webhooks.eventTypesRequired')));
                const bad = value.find((v) => !isEventType(v));
                return bad ? Promise.reject(new Error(t('webhooks.eventTypeInvalid', { value: bad }))) : Promise.resolve();
              },
            },
          ]}
        >
          <Select
            mode="tags"
            tokenSeparators={[',', ' ']}
            options={EVENT_TYPE_SUGGESTIONS.map((value) => ({
              value,
              label: value === '*' ? t('webhooks.allEvents') : value,
            }))}
            data-testid="webhook-event-types"
          />
        </Form.Item>
        <Form.Item name="active" label={t('webhooks.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
