import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { CustomField, CustomFieldEntity, FieldType } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useSession } from '../auth';
import { useCreateCustomField, useCustomFields, useDeleteCustomField, useUpdateCustomField } from './api';
import { CustomFieldControl, CustomFieldValue } from './CustomFieldInput';
import { customValuesFromForm, customValuesToForm } from './values';

const FIELD_TYPES: readonly FieldType[] = [
  'text',
  'long_text',
  'number',
  'money',
  'date',
  'select',
  'multi_select',
  'boolean',
  'user',
];
const ENTITIES: readonly CustomFieldEntity[] = ['customer', 'contact'];
const ADMINS = new Set(['owner', 'admin']);

interface FieldValues {
  key: string;
  label_zh: string;
  label_en: string;
  type: FieldType;
  options: string[];
  required: boolean;
  position: number;
  default?: unknown;
}

function FieldFormModal({ entity, field, onClose }: { entity: CustomFieldEntity; field?: CustomField; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<FieldValues>();
  const create = useCreateCustomField();
  const update = useUpdateCustomField();
  const type = Form.useWatch('type', form) ?? field?.type ?? 'text';
  const options = Form.useWatch('options', form) ?? field?.options ?? [];
  const choice = type === 'select' || type === 'multi_select';
  // The default is edited with the field's own control, so it is typed like a value.
  const preview: CustomField = {
    ...(field ?? {
      id: 'new',
      entity,
      key: 'default',
      label_zh: '',
      label_en: '',
      required: false,
      position: 0,
      version: 0,
      created_at: '',
      default: null,
    }),
    type,
    options,
  };
  const toDefault = (value: unknown) =>
    customValuesFromForm([{ ...preview, key: 'v' }], { v: value }, { keepNulls: true }).v ?? null;

  const onError = (error: unknown) => {
    if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
  };
  const onDone = () => {
    void message.success(t('customFields.saved'));
    onClose();
  };

  return (
    <Modal
      open
      title={field ? t('customFields.editTitle') : t('customFields.createTitle')}
      okText={field ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={{ 'data-testid': 'custom-field-submit' }}
      destroyOnHidden
      width={560}
    >
      <Form<FieldValues>
        form={form}
        layout="vertical"
        initialValues={
          field
            ? {
                key: field.key,
                label_zh: field.label_zh,
                label_en: field.label_en,
                type: field.type,
                options: field.options,
                required: field.required,
                position: field.position,
                default: customValuesToForm([{ ...field, key: 'v' }], { v: field.default }).v,
              }
            : { key: '', label_zh: '', label_en: '', type: 'text', options: [], required: false, position: 0 }
        }
        onFinish={(values) => {
          const def = toDefault(values.default);
          if (field) {
            update.mutate(
              {
                field,
                body: {
                  label_zh: values.label_zh.trim(),
                  label_en: values.label_en.trim(),
                  options: choice ? values.options : undefined,
                  required: values.required,
                  position: values.position,
                  default: def,
                },
              },
              { onSuccess: onDone, onError },
            );
          } else {
            create.mutate(
              {
                entity,
                key: values.key.trim(),
                label_zh: values.label_zh.trim(),
                label_en: values.label_en.trim(),
                type: values.type,
                options: choice ? values.options : [],
                required: values.required,
                position: values.position,
                default: def,
              },
              { onSuccess: onDone, onError },
            );
          }
        }}
        data-testid="custom-field-form"
      >
        <Flex gap={12}>
          <Form.Item
            name="label_zh"
            label={t('customFields.labelZh')}
            rules={[{ required: true, whitespace: true, message: t('customFields.labelRequired') }]}
            style={{ flex: 1 }}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="label_en"
            label={t('customFields.labelEn')}
            rules={[{ required: true, whitespace: true, message: t('customFields.labelRequired') }]}
            style={{ flex: 1 }}
          >
            <Input maxLength={100} />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item
            name="key"
            label={t('customFields.key')}
            extra={t('customFields.keyHelp')}
            rules={[
              { required: true, message: t('customFields.keyRequired') },
              { pattern: /^[a-z][a-z0-9_]{0,59}$/, message: t('customFields.keyInvalid') },
            ]}
            style={{ flex: 1 }}
          >
            <Input disabled={Boolean(field)} className="rapport-key" />
          </Form.Item>
          <Form.Item name="type" label={t('customFields.type')} style={{ flex: 1 }}>
            <Select
              disabled={Boolean(field)}
              options={FIELD_TYPES.map((ft) => ({ value: ft, label: t(`customFields.types.${ft}`) }))}
              onChange={() => form.setFieldValue('default', undefined)}
            />
          </Form.Item>
        </Flex>
        {choice && (
          <Form.Item
            name="options"
            label={t('customFields.options')}
            extra={t('customFields.optionsHelp')}
            rules={[{ required: true, type: 'array', min: 1, message: t('customFields.optionsRequired') }]}
          >
            <Select mode="tags" open={false} tokenSeparators={[',', '，']} suffixIcon={null} />
          </Form.Item>
        )}
        <Form.Item name="default" label={t('customFields.default')} valuePropName={type === 'boolean' ? 'checked' : 'value'}>
          <CustomFieldControl field={preview} />
        </Form.Item>
        <Flex gap={24} align="center">
          <Form.Item name="required" valuePropName="checked">
            <Checkbox>{t('customFields.requiredLabel')}</Checkbox>
          </Form.Item>
          <Form.Item name="position" label={t('customFields.position')}>
            <InputNumber min={0} max={10000} />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}

/** Settings → Custom fields: define the extra fields customers and contacts carry. */
export default function CustomFieldList() {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const { message } = AntApp.useApp();
  const me = useSession();
  const admin = ADMINS.has(me.user.role);
  const [entity, setEntity] = useState<CustomFieldEntity>('customer');
  const fields = useCustomFields(entity);
  const remove = useDeleteCustomField();
  const [editing, setEditing] = useState<CustomField | 'new' | null>(null);
  return (
    <>
      <PageHeader
        title={t('customFields.title')}
        description={t('customFields.description')}
        extra={
          admin && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="custom-field-create">
              {t('customFields.create')}
            </Button>
          )
        }
      />
      <Card>
        <Segmented
          value={entity}
          onChange={setEntity}
          options={ENTITIES.map((e) => ({ value: e, label: t(`customFields.entities.${e}`) }))}
          style={{ marginBottom: 16 }}
        />
        {fields.isError && <ProblemAlert error={fields.error} onRetry={() => void fields.refetch()} />}
        <Table<CustomField>
          rowKey="id"
          size="middle"
          loading={fields.isPending}
          dataSource={fields.data ?? []}
          pagination={false}
          scroll={{ x: 800 }}
          locale={{ emptyText: t('customFields.empty') }}
          data-testid="custom-fields-table"
          columns={[
            {
              title: t('customFields.label'),
              render: (_: unknown, f) => (
                <Flex vertical>
                  <Typography.Text strong>{english ? f.label_en : f.label_zh}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {english ? f.label_zh : f.label_en}
                  </Typography.Text>
                </Flex>
              ),
            },
            { title: t('customFields.key'), dataIndex: 'key', render: (key: string) => <code className="rapport-key">cf.{key}</code> },
            {
              title: t('customFields.type'),
              dataIndex: 'type',
              render: (type: FieldType) => <Tag bordered={false} color="blue">{t(`customFields.types.${type}`)}</Tag>,
            },
            {
              title: t('customFields.options'),
              dataIndex: 'options',
              render: (options: string[]) => options.map((o) => <Tag key={o}>{o}</Tag>),
            },
            {
              title: t('customFields.requiredLabel'),
              dataIndex: 'required',
              width: 80,
              render: (required: boolean) => (required ? <Tag color="red" bordered={false}>{t('common.yes')}</Tag> : t('common.no')),
            },
            {
              title: t('customFields.default'),
              render: (_: unknown, f) => <CustomFieldValue field={f} value={f.default} />,
            },
            { title: t('customFields.position'), dataIndex: 'position', width: 80 },
            ...(admin
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 120,
                    render: (_: unknown, f: CustomField) => (
                      <Space size={0}>
                        <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(f)}>
                          {t('common.edit')}
                        </Button>
                        <Popconfirm
                          title={t('customFields.deleteConfirm', { label: english ? f.label_en : f.label_zh })}
                          description={t('customFields.deleteHelp')}
                          okText={t('common.delete')}
                          okButtonProps={{ danger: true }}
                          cancelText={t('common.cancel')}
                          onConfirm={() =>
                            remove.mutate(f.id, {
                              onSuccess: () => void message.success(t('customFields.deleted')),
                              onError: (error) => void message.error(problemMessage(error)),
                            })
                          }
                        >
                          <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {editing !== null && (
        <FieldFormModal entity={entity} field={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />
      )}
    </>
  );
}
