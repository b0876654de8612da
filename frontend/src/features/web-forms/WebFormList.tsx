import { CodeOutlined, PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useSession } from '../auth';
import { useCampaignDirectory } from '../campaigns/api';
import { useCreateWebForm, useWebForms, type WebForm, type WebFormCreate } from './api';
import { EmbedModal } from './EmbedModal';

const MANAGERS = new Set(['owner', 'admin', 'manager']);

function CreateFormModal({ onClose, onCreated }: { onClose: () => void; onCreated: (form: WebForm) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<WebFormCreate>();
  const create = useCreateWebForm();
  const campaigns = useCampaignDirectory();
  return (
    <Modal
      open
      title={t('webForms.createTitle')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'web-form-submit' }}
      destroyOnHidden
    >
      <Form<WebFormCreate>
        form={form}
        layout="vertical"
        initialValues={{ name: '', source: t('webForms.defaultSource'), campaign_id: null }}
        onFinish={(values) =>
          create.mutate(
            { name: values.name.trim(), source: values.source?.trim() || t('webForms.defaultSource'), campaign_id: values.campaign_id ?? null },
            {
              onSuccess: (created) => {
                void message.success(t('webForms.created'));
                onCreated(created);
              },
              onError: (error) => {
                if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
              },
            },
          )
        }
        data-testid="web-form-form"
      >
        <Form.Item name="name" label={t('webForms.fields.name')} rules={[{ required: true, whitespace: true, message: t('webForms.nameRequired') }]}>
          <Input maxLength={150} placeholder={t('webForms.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="source" label={t('webForms.fields.source')} extra={t('webForms.sourceHelp')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="campaign_id" label={t('webForms.fields.campaign')}>
          <Select allowClear options={campaigns.campaigns.map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 网页表单: public forms a website embeds; each submission becomes a lead, assigned by the rules. */
export default function WebFormList() {
  const { t } = useTranslation();
  const me = useSession();
  const manager = MANAGERS.has(me.user.role);
  const forms = useWebForms();
  const campaigns = useCampaignDirectory();
  const [creating, setCreating] = useState(false);
  const [embedding, setEmbedding] = useState<WebForm | null>(null);

  return (
    <>
      <PageHeader
        title={t('webForms.title')}
        description={t('webForms.description')}
        extra={
          manager && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="web-form-create">
              {t('webForms.create')}
            </Button>
          )
        }
      />
      <Card>
        {forms.isError && <ProblemAlert error={forms.error} onRetry={() => void forms.refetch()} />}
        <Table<WebForm>
          rowKey="id"
          size="middle"
          loading={forms.isPending}
          dataSource={forms.data ?? []}
          pagination={false}
          locale={{ emptyText: t('webForms.empty') }}
          data-testid="web-forms-table"
          columns={[
            {
              key: 'name',
              title: t('webForms.fields.name'),
              dataIndex: 'name',
              render: (name: string) => <Typography.Text strong>{name}</Typography.Text>,
            },
            { key: 'source', title: t('webForms.fields.source'), dataIndex: 'source', width: 160 },
            {
              key: 'campaign',
              title: t('webForms.fields.campaign'),
              dataIndex: 'campaign_id',
              width: 220,
              render: (id: string | null) =>
                id ? <Link to={`/campaigns/${id}`}>{campaigns.byId.get(id)?.name ?? '…'}</Link> : null,
            },
            {
              key: 'active',
              title: t('webForms.fields.active'),
              dataIndex: 'active',
              width: 100,
              render: (active: boolean) =>
                active ? (
                  <Tag color="green" bordered={false}>
                    {t('webForms.accepting')}
                  </Tag>
                ) : (
                  <Tag bordered={false}>{t('webForms.closed')}</Tag>
                ),
            },
            {
              key: 'actions',
              title: t('common.actions'),
              width: 130,
              render: (_: unknown, form) => (
                <Button type="link" size="small" icon={<CodeOutlined />} onClick={() => setEmbedding(form)} data-testid="web-form-embed">
                  {t('webForms.embed')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {creating && (
        <CreateFormModal
          onClose={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setEmbedding(created);
          }}
        />
      )}
      {embedding && <EmbedModal form={embedding} onClose={() => setEmbedding(null)} />}
    </>
  );
}
