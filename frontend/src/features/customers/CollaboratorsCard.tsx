import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Avatar, Button, Card, DatePicker, Form, List, Modal, Popconfirm, Radio, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Collaborator } from '../../api/types';
import { UserSelect } from '../../components/UserSelect';
import { formatDate } from '../../lib/dates';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useUserDirectory } from '../users';
import { useCollaborators, useRemoveCollaborator, useSetCollaborator } from './api';

function AddCollaboratorModal({ customerId, exclude, onClose }: { customerId: string; exclude: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ user_id: string; access: 'read' | 'write'; expires_at?: Dayjs | null }>();
  const set = useSetCollaborator(customerId);
  return (
    <Modal
      open
      title={t('collaborators.addTitle')}
      okText={t('common.add')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={set.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ access: 'read' }}
        onFinish={(values) =>
          set.mutate(
            {
              user_id: values.user_id,
              access: values.access,
              expires_at: values.expires_at ? values.expires_at.endOf('day').toISOString() : null,
            },
            {
              onSuccess: () => {
                void message.success(t('collaborators.added'));
                onClose();
              },
              onError: (error) => {
                if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
              },
            },
          )
        }
      >
        <Form.Item name="user_id" label={t('collaborators.user')} rules={[{ required: true, message: t('collaborators.userRequired') }]}>
          <UserSelect exclude={exclude} />
        </Form.Item>
        <Form.Item name="access" label={t('collaborators.access')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'read', label: t('collaborators.read') },
              { value: 'write', label: t('collaborators.write') },
            ]}
          />
        </Form.Item>
        <Form.Item name="expires_at" label={t('collaborators.expires')} extra={t('collaborators.expiresHelp')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The account team: who besides the owner may see (or change) this customer, until when. */
export function CollaboratorsCard({ customerId, ownerId, writable }: { customerId: string; ownerId: string | null; writable: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const users = useUserDirectory();
  const collaborators = useCollaborators(customerId);
  const remove = useRemoveCollaborator(customerId);
  const [adding, setAdding] = useState(false);
  const list = collaborators.data ?? [];
  return (
    <Card
      size="small"
      title={t('collaborators.title')}
      extra={
        writable && (
          <Button type="link" size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            {t('common.add')}
          </Button>
        )
      }
    >
      <List<Collaborator>
        size="small"
        loading={collaborators.isPending}
        dataSource={list}
        locale={{ emptyText: t('collaborators.empty') }}
        renderItem={(c) => {
          const user = users.byId.get(c.user_id);
          return (
            <List.Item
              actions={
                writable
                  ? [
                      <Popconfirm
                        key="remove"
                        title={t('collaborators.removeConfirm', { name: user?.name ?? '' })}
                        okText={t('common.remove')}
                        cancelText={t('common.cancel')}
                        okButtonProps={{ danger: true }}
                        onConfirm={() =>
                          remove.mutate(c.user_id, { onError: (error) => void message.error(problemMessage(error)) })
                        }
                      >
                        <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.remove')} />
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                avatar={<Avatar size="small">{user?.name.slice(-1) ?? '?'}</Avatar>}
                title={user?.name ?? '…'}
                description={
                  <>
                    <Tag bordered={false} color={c.access === 'write' ? 'blue' : 'default'}>
                      {c.access === 'write' ? t('collaborators.write') : t('collaborators.read')}
                    </Tag>
                    {c.expires_at && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('collaborators.until', { date: formatDate(c.expires_at) })}
                      </Typography.Text>
                    )}
                  </>
                }
              />
            </List.Item>
          );
        }}
      />
      {adding && (
        <AddCollaboratorModal
          customerId={customerId}
          exclude={[...list.map((c) => c.user_id), ...(ownerId ? [ownerId] : [])]}
          onClose={() => setAdding(false)}
        />
      )}
    </Card>
  );
}
