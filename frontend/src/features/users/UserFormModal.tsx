import { App as AntApp, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';

import type { Role, User } from '../../api/types';
import { TeamSelect } from '../../components/TeamSelect';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useRoleNames } from '../roles';
import { useCreateUser, useUpdateUser } from './api';

interface UserFormValues {
  email: string;
  name: string;
  password: string;
  role: Role;
  team_id: string | null;
}

export const MIN_PASSWORD_LENGTH = 8;

/** Create a user (no `user`) or edit one's name, role and team. Mounted only while open. */
export function UserFormModal({ user, onClose }: { user?: User; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<UserFormValues>();
  const roleNames = useRoleNames();
  const create = useCreateUser();
  const update = useUpdateUser();
  const editing = user !== undefined;
  const pending = create.isPending || update.isPending;

  const onError = (error: unknown) => {
    if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
  };

  const onFinish = (values: UserFormValues) => {
    if (editing) {
      update.mutate(
        { id: user.id, version: user.version, body: { name: values.name, role: values.role, team_id: values.team_id ?? null } },
        {
          onSuccess: () => {
            void message.success(t('users.updated'));
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(
        { ...values, team_id: values.team_id ?? null },
        {
          onSuccess: (created) => {
            void message.success(t('users.created', { name: created.name }));
            onClose();
          },
          onError,
        },
      );
    }
  };

  return (
    <Modal
      open
      title={editing ? t('users.editTitle', { name: user.name }) : t('users.createTitle')}
      okText={editing ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={pending}
      maskClosable={!pending}
      okButtonProps={{ 'data-testid': 'user-form-submit' }}
    >
      <Form<UserFormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={
          editing
            ? { email: user.email, name: user.name, role: user.role, team_id: user.team_id }
            : { email: '', name: '', password: '', role: 'sales', team_id: null }
        }
        data-testid="user-form"
        style={{ marginTop: 16 }}
      >
        <Form.Item
          name="email"
          label={t('users.email')}
          rules={[
            { required: true, message: t('users.emailRequired') },
            { type: 'email', message: t('users.emailInvalid') },
          ]}
        >
          <Input disabled={editing} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('users.name')}
          rules={[{ required: true, whitespace: true, message: t('users.nameRequired') }]}
        >
          <Input autoComplete="off" maxLength={100} />
        </Form.Item>
        {!editing && (
          <Form.Item
            name="password"
            label={t('users.password')}
            extra={t('users.passwordHelp')}
            rules={[
              { required: true, message: t('users.passwordRequired') },
              { min: MIN_PASSWORD_LENGTH, message: t('users.passwordTooShort') },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('users.roleRequired') }]}>
          <Select options={roleNames.map((name) => ({ value: name, label: t(`roles.${name}`) }))} />
        </Form.Item>
        <Form.Item name="team_id" label={t('users.team')}>
          <TeamSelect placeholder={t('users.noTeam')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
