import { App as AntApp, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';

import type { Team } from '../../api/types';
import { TeamSelect } from '../../components/TeamSelect';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useCreateTeam, useUpdateTeam } from './api';

interface TeamFormValues {
  name: string;
  parent_id: string | null;
}

export type TeamFormTarget = { mode: 'create'; parentId: string | null } | { mode: 'rename'; team: Team };

/** Create a team under a parent, or rename one. Mounted only while open. */
export function TeamFormModal({ target, onClose }: { target: TeamFormTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<TeamFormValues>();
  const create = useCreateTeam();
  const update = useUpdateTeam();
  const pending = create.isPending || update.isPending;

  const onError = (error: unknown) => {
    if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
  };

  const onFinish = (values: TeamFormValues) => {
    const name = values.name.trim();
    if (target.mode === 'rename') {
      update.mutate(
        { id: target.team.id, version: target.team.version, body: { name } },
        {
          onSuccess: () => {
            void message.success(t('teams.renamed'));
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(
        { name, parent_id: values.parent_id ?? null },
        {
          onSuccess: (team) => {
            void message.success(t('teams.created', { name: team.name }));
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
      title={target.mode === 'rename' ? t('teams.renameTitle') : t('teams.createTitle')}
      okText={target.mode === 'rename' ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={pending}
    >
      <Form<TeamFormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={
          target.mode === 'rename'
            ? { name: target.team.name, parent_id: target.team.parent_id }
            : { name: '', parent_id: target.parentId }
        }
        style={{ marginTop: 16 }}
      >
        <Form.Item
          name="name"
          label={t('teams.name')}
          rules={[{ required: true, whitespace: true, message: t('teams.nameRequired') }]}
        >
          <Input maxLength={100} autoFocus />
        </Form.Item>
        {target.mode === 'create' && (
          <Form.Item name="parent_id" label={t('teams.parent')}>
            <TeamSelect placeholder={t('teams.topLevel')} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
