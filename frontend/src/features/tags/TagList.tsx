import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Flex, Form, Input, Modal, Popconfirm, Space, Table, Tag as AntTag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Tag } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { canWrite, useSession } from '../auth';
import { useCreateTag, useDeleteTag, useTags, useUpdateTag } from './api';
import { TAG_COLORS } from './colors';

function ColorPicker({ value, onChange }: { value?: string; onChange?: (v: string) => void }) {
  return (
    <Flex gap={6} wrap>
      {TAG_COLORS.map((color) => (
        <AntTag
          key={color}
          color={color}
          onClick={() => onChange?.(color)}
          style={{ cursor: 'pointer', outline: value === color ? '2px solid #1d5bd8' : undefined, outlineOffset: 1 }}
          aria-pressed={value === color}
        >
          {color}
        </AntTag>
      ))}
    </Flex>
  );
}

function TagFormModal({ tag, onClose }: { tag?: Tag; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ name: string; color: string }>();
  const create = useCreateTag();
  const update = useUpdateTag();
  const onError = (error: unknown) => {
    if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
  };
  return (
    <Modal
      open
      title={tag ? t('tags.editTitle') : t('tags.createTitle')}
      okText={tag ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={tag ? { name: tag.name, color: tag.color } : { name: '', color: 'blue' }}
        onFinish={(values) => {
          const body = { name: values.name.trim(), color: values.color };
          const onSuccess = () => {
            void message.success(t('tags.saved'));
            onClose();
          };
          if (tag) update.mutate({ id: tag.id, body }, { onSuccess, onError });
          else create.mutate(body, { onSuccess, onError });
        }}
      >
        <Form.Item name="name" label={t('tags.name')} rules={[{ required: true, whitespace: true, message: t('tags.nameRequired') }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="color" label={t('tags.color')}>
          <ColorPicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Settings → Tags: the workspace's customer tags and their colours. */
export default function TagList() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useSession();
  const writable = canWrite(me, 'customers');
  const tags = useTags();
  const remove = useDeleteTag();
  const [editing, setEditing] = useState<Tag | 'new' | null>(null);
  return (
    <>
      <PageHeader
        title={t('tags.title')}
        description={t('tags.description')}
        extra={
          writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('tags.create')}
            </Button>
          )
        }
      />
      <Card>
        {tags.isError && <ProblemAlert error={tags.error} onRetry={() => void tags.refetch()} />}
        <Table<Tag>
          rowKey="id"
          size="middle"
          loading={tags.isPending}
          dataSource={tags.tags}
          pagination={false}
          locale={{ emptyText: t('tags.empty') }}
          columns={[
            {
              title: t('tags.name'),
              dataIndex: 'name',
              render: (_: unknown, tag) => (
                <AntTag color={tag.color} bordered={false}>
                  {tag.name}
                </AntTag>
              ),
            },
            { title: t('tags.color'), dataIndex: 'color' },
            ...(writable
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 160,
                    render: (_: unknown, tag: Tag) => (
                      <Space size={0}>
                        <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(tag)}>
                          {t('common.edit')}
                        </Button>
                        <Popconfirm
                          title={t('tags.deleteConfirm', { name: tag.name })}
                          okText={t('common.delete')}
                          okButtonProps={{ danger: true }}
                          cancelText={t('common.cancel')}
                          onConfirm={() =>
                            remove.mutate(tag.id, {
                              onSuccess: () => void message.success(t('tags.deleted')),
                              onError: (error) => void message.error(problemMessage(error)),
                            })
                          }
                        >
                          <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                            {t('common.delete')}
                          </Button>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {editing !== null && <TagFormModal tag={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </>
  );
}
