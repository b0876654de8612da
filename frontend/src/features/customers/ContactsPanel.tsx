import { DeleteOutlined, EditOutlined, PlusOutlined, StarFilled } from '@ant-design/icons';
import {
  App as AntApp,
  Button,
  Checkbox,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Contact } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useCustomFields } from '../custom-fields/api';
import { CustomFieldItems } from '../custom-fields/CustomFieldInput';
import { customValuesFromForm, customValuesToForm, type CustomValues } from '../custom-fields/values';
import { useContacts, useDeleteContact, useSaveContact } from './api';

interface ContactValues {
  name: string;
  title?: string;
  phones: string[];
  email?: string;
  wechat?: string;
  birthday?: Dayjs | null;
  is_primary: boolean;
  notes?: string;
  custom_fields?: CustomValues;
}

const blank = (v: string | undefined) => v?.trim() || null;

function ContactFormModal({
  customerId,
  contact,
  onClose,
}: {
  customerId: string;
  contact?: Contact;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ContactValues>();
  const fields = useCustomFields('contact');
  const save = useSaveContact(customerId);
  return (
    <Modal
      open
      title={contact ? t('contacts.editTitle', { name: contact.name }) : t('contacts.createTitle')}
      okText={contact ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'contact-form-submit' }}
      destroyOnHidden
    >
      <Form<ContactValues>
        key={fields.isSuccess ? 'ready' : 'loading'}
        form={form}
        layout="vertical"
        initialValues={
          contact
            ? {
                name: contact.name,
                title: contact.title ?? '',
                phones: contact.phones,
                email: contact.email ?? '',
                wechat: contact.wechat ?? '',
                birthday: contact.birthday ? dayjs(contact.birthday) : null,
                is_primary: contact.is_primary,
                notes: contact.notes ?? '',
                custom_fields: customValuesToForm(fields.data ?? [], contact.custom_fields),
              }
            : { name: '', phones: [], is_primary: false }
        }
        onFinish={(values) =>
          save.mutate(
            {
              contact,
              body: {
                name: values.name.trim(),
                title: blank(values.title),
                phones: (values.phones ?? []).map((p) => p.trim()).filter(Boolean),
                email: blank(values.email),
                wechat: blank(values.wechat),
                birthday: values.birthday ? values.birthday.format('YYYY-MM-DD') : null,
                is_primary: values.is_primary,
                notes: blank(values.notes),
                custom_fields: customValuesFromForm(fields.data ?? [], values.custom_fields, { keepNulls: Boolean(contact) }),
              },
            },
            {
              onSuccess: () => {
                void message.success(t('contacts.saved'));
                onClose();
              },
              onError: (error) => {
                if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
              },
            },
          )
        }
        data-testid="contact-form"
      >
        <Flex gap={12}>
          <Form.Item
            name="name"
            label={t('contacts.name')}
            rules={[{ required: true, whitespace: true, message: t('contacts.nameRequired') }]}
            style={{ flex: 1 }}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="title" label={t('contacts.title')} style={{ flex: 1 }}>
            <Input maxLength={100} />
          </Form.Item>
        </Flex>
        <Form.Item name="phones" label={t('contacts.phones')}>
          <Select mode="tags" open={false} tokenSeparators={[',', '，', ';', '；']} suffixIcon={null} />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item
            name="email"
            label={t('contacts.email')}
            rules={[{ type: 'email', message: t('customers.emailInvalid') }]}
            style={{ flex: 1 }}
          >
            <Input />
          </Form.Item>
          <Form.Item name="wechat" label={t('contacts.wechat')} style={{ flex: 1 }}>
            <Input maxLength={100} />
          </Form.Item>
        </Flex>
        <Flex gap={12} align="center">
          <Form.Item name="birthday" label={t('contacts.birthday')} style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="is_primary" valuePropName="checked" style={{ flex: 1, marginTop: 24 }}>
            <Checkbox>{t('contacts.primary')}</Checkbox>
          </Form.Item>
        </Flex>
        <Form.Item name="notes" label={t('contacts.notes')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={5000} />
        </Form.Item>
        <CustomFieldItems fields={fields.data ?? []} />
      </Form>
    </Modal>
  );
}

export function ContactsPanel({ customerId, writable }: { customerId: string; writable: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const contacts = useContacts(customerId);
  const remove = useDeleteContact(customerId);
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  return (
    <>
      {writable && (
        <Flex justify="flex-end" style={{ marginBottom: 12 }}>
          <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="contact-create">
            {t('contacts.create')}
          </Button>
        </Flex>
      )}
      {contacts.isError && <ProblemAlert error={contacts.error} onRetry={() => void contacts.refetch()} />}
      <Table<Contact>
        rowKey="id"
        size="small"
        loading={contacts.isPending}
        dataSource={contacts.data ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        locale={{ emptyText: t('contacts.empty') }}
        data-testid="contacts-table"
        columns={[
          {
            title: t('contacts.name'),
            dataIndex: 'name',
            render: (name: string, c) => (
              <Space size={4}>
                <Typography.Text strong>{name}</Typography.Text>
                {c.is_primary && (
                  <Tag color="gold" bordered={false} icon={<StarFilled />}>
                    {t('contacts.primary')}
                  </Tag>
                )}
              </Space>
            ),
          },
          { title: t('contacts.title'), dataIndex: 'title' },
          { title: t('contacts.phones'), dataIndex: 'phones', render: (phones: string[]) => phones.join(', ') },
          { title: t('contacts.email'), dataIndex: 'email' },
          { title: t('contacts.wechat'), dataIndex: 'wechat' },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 110,
                  render: (_: unknown, c: Contact) => (
                    <Space size={0}>
                      <Button
                        type="link"
                        size="small"
                        icon={<EditOutlined />}
                        onClick={() => setEditing(c)}
                        aria-label={t('common.edit')}
                      />
                      <Popconfirm
                        title={t('contacts.deleteConfirm', { name: c.name })}
                        okText={t('common.delete')}
                        okButtonProps={{ danger: true }}
                        cancelText={t('common.cancel')}
                        onConfirm={() =>
                          remove.mutate(c, {
                            onSuccess: () => void message.success(t('contacts.deleted')),
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
      {editing !== null && (
        <ContactFormModal
          customerId={customerId}
          contact={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}
