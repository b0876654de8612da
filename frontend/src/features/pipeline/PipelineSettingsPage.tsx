import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  EditOutlined,
  PlusOutlined,
  StarOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { isApiProblem } from '../../api/problem';
import type { LostReason, Pipeline, PipelineStage, StageKind } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { applyProblemToForm } from '../../lib/problems';
import { useSession } from '../auth';
import { canManageSales } from '../products/permissions';
import {
  useCreatePipeline,
  useCreateStage,
  useDeletePipeline,
  useDeleteStage,
  useLostReasons,
  usePipelines,
  useReorderStages,
  useSaveLostReason,
  useUpdatePipeline,
  useUpdateStage,
} from './api';
import { reordered } from './board';
import { dealProblemMessage, kindColor, reasonLabel, stageName } from './labels';

const KINDS: StageKind[] = ['open', 'won', 'lost'];

interface StageValues {
  name_zh: string;
  name_en: string;
  kind: StageKind;
  probability: number;
  rotting_days?: number | null;
}

function StageModal({ pipeline, stage, onClose }: { pipeline: Pipeline; stage?: PipelineStage; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<StageValues>();
  const create = useCreateStage(pipeline.id);
  const update = useUpdateStage(pipeline.id);
  const pending = create.isPending || update.isPending;
  const onError = (error: unknown) => {
    if (!applyProblemToForm(form, error)) void message.error(dealProblemMessage(error));
  };
  const submit = (values: StageValues) => {
    const body = {
      name_zh: values.name_zh.trim(),
      name_en: values.name_en.trim(),
      probability: values.probability,
      rotting_days: values.rotting_days ?? null,
    };
    if (stage) {
      update.mutate(
        { stage, body: { ...body, ...(values.kind !== stage.kind ? { kind: values.kind } : {}) } },
        {
          onSuccess: () => {
            void message.success(t('pipeline.settingsPage.stageSaved'));
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(
        { ...body, kind: values.kind },
        {
          onSuccess: () => {
            void message.success(t('pipeline.settingsPage.stageSaved'));
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
      title={stage ? t('pipeline.settingsPage.editStage') : t('pipeline.settingsPage.addStage')}
      okText={stage ? t('common.save') : t('common.add')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={pending}
      destroyOnHidden
    >
      <Form<StageValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          stage
            ? { name_zh: stage.name_zh, name_en: stage.name_en, kind: stage.kind, probability: stage.probability, rotting_days: stage.rotting_days }
            : { name_zh: '', name_en: '', kind: 'open', probability: 50, rotting_days: null }
        }
      >
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="name_zh" label={t('pipeline.settingsPage.nameZh')} rules={[{ required: true, whitespace: true, message: t('pipeline.settingsPage.nameRequired') }]}>
              <Input maxLength={60} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="name_en" label={t('pipeline.settingsPage.nameEn')} rules={[{ required: true, whitespace: true, message: t('pipeline.settingsPage.nameRequired') }]}>
              <Input maxLength={60} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="kind" label={t('pipeline.settingsPage.kind')} extra={stage ? t('pipeline.settingsPage.kindHelp') : undefined}>
              <Select options={KINDS.map((k) => ({ value: k, label: t(`pipeline.kinds.${k}`) }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="probability" label={t('pipeline.settingsPage.probability')} rules={[{ required: true }]}>
              <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="rotting_days" label={t('pipeline.settingsPage.rottingDays')} extra={t('pipeline.settingsPage.rottingHelp')}>
              <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} placeholder={t('pipeline.settingsPage.never')} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

/** Delete a stage; its deals (if any) go to another stage of the same kind. */
function DeleteStageModal({ pipeline, stage, onClose }: { pipeline: Pipeline; stage: PipelineStage; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const remove = useDeleteStage(pipeline.id);
  const [target, setTarget] = useState<string | undefined>();
  const [needsTarget, setNeedsTarget] = useState(false);
  const candidates = pipeline.stages.filter((s) => s.id !== stage.id && s.kind === stage.kind);
  return (
    <Modal
      open
      title={t('pipeline.settingsPage.deleteStageTitle', { name: stageName(stage, i18n.language) })}
      okText={t('common.delete')}
      okButtonProps={{ danger: true, disabled: needsTarget && !target }}
      cancelText={t('common.cancel')}
      confirmLoading={remove.isPending}
      onCancel={onClose}
      onOk={() =>
        remove.mutate(
          { stage, moveTo: target },
          {
            onSuccess: () => {
              void message.success(t('pipeline.settingsPage.stageDeleted'));
              onClose();
            },
            onError: (error) => {
              if (isApiProblem(error) && error.code === 'stage_not_empty') setNeedsTarget(true);
              else void message.error(dealProblemMessage(error));
            },
          },
        )
      }
    >
      {needsTarget && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('pipeline.settingsPage.stageHasDeals')} />}
      <Typography.Paragraph>{t('pipeline.settingsPage.deleteStageHelp')}</Typography.Paragraph>
      <Select
        allowClear
        value={target}
        onChange={setTarget}
        status={needsTarget && !target ? 'error' : undefined}
        placeholder={t('pipeline.settingsPage.moveDealsTo')}
        style={{ width: '100%' }}
        options={candidates.map((s) => ({ value: s.id, label: stageName(s, i18n.language) }))}
        data-testid="delete-stage-target"
      />
    </Modal>
  );
}

function PipelineModal({ pipeline, onClose }: { pipeline?: Pipeline; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ name: string; description?: string; is_default: boolean }>();
  const create = useCreatePipeline();
  const update = useUpdatePipeline();
  return (
    <Modal
      open
      title={pipeline ? t('pipeline.settingsPage.editPipeline') : t('pipeline.settingsPage.newPipeline')}
      okText={pipeline ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending || update.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ name: pipeline?.name ?? '', description: pipeline?.description ?? '', is_default: pipeline?.is_default ?? false }}
        onFinish={(values) => {
          const body = { name: values.name.trim(), description: values.description?.trim() || null, is_default: values.is_default };
          const handlers = {
            onSuccess: () => {
              void message.success(t('pipeline.settingsPage.pipelineSaved'));
              onClose();
            },
            onError: (error: unknown) => {
              if (!applyProblemToForm(form, error)) void message.error(dealProblemMessage(error));
            },
          };
          if (pipeline) update.mutate({ pipeline, body }, handlers);
          else create.mutate(body, handlers);
        }}
      >
        <Form.Item name="name" label={t('pipeline.settingsPage.pipelineName')} rules={[{ required: true, whitespace: true, message: t('pipeline.settingsPage.nameRequired') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={t('pipeline.settingsPage.descriptionField')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} />
        </Form.Item>
        <Form.Item name="is_default" label={t('pipeline.settingsPage.isDefault')} valuePropName="checked">
          <Switch disabled={pipeline?.is_default} />
        </Form.Item>
        {!pipeline && <Typography.Text type="secondary">{t('pipeline.settingsPage.standardStages')}</Typography.Text>}
      </Form>
    </Modal>
  );
}

function LostReasonsCard({ manage }: { manage: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const reasons = useLostReasons(true);
  const save = useSaveLostReason();
  const [editing, setEditing] = useState<LostReason | 'new' | null>(null);
  const [form] = Form.useForm<{ label_zh: string; label_en: string }>();
  return (
    <Card
      size="small"
      title={t('pipeline.settingsPage.lostReasons')}
      extra={
        manage && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('common.add')}
          </Button>
        )
      }
    >
      {reasons.isError && <ProblemAlert error={reasons.error} />}
      <List<LostReason>
        size="small"
        loading={reasons.isPending}
        dataSource={reasons.data ?? []}
        renderItem={(reason) => (
          <List.Item
            actions={
              manage
                ? [
                    <Switch
                      key="active"
                      size="small"
                      checked={reason.active}
                      onChange={(active) =>
                        save.mutate({ reason, body: { active } }, { onError: (error) => void message.error(dealProblemMessage(error)) })
                      }
                      aria-label={t('pipeline.settingsPage.reasonActive')}
                    />,
                    <Button key="edit" type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(reason)} aria-label={t('common.edit')} />,
                  ]
                : []
            }
          >
            <Typography.Text type={reason.active ? undefined : 'secondary'} delete={!reason.active}>
              {reasonLabel(reason, i18n.language)}
            </Typography.Text>
          </List.Item>
        )}
      />
      {editing && (
        <Modal
          open
          title={editing === 'new' ? t('pipeline.settingsPage.addReason') : t('pipeline.settingsPage.editReason')}
          okText={t('common.save')}
          cancelText={t('common.cancel')}
          confirmLoading={save.isPending}
          onOk={() => form.submit()}
          onCancel={() => setEditing(null)}
          destroyOnHidden
        >
          <Form
            form={form}
            layout="vertical"
            preserve={false}
            initialValues={editing === 'new' ? { label_zh: '', label_en: '' } : { label_zh: editing.label_zh, label_en: editing.label_en }}
            onFinish={(values) =>
              save.mutate(
                { reason: editing === 'new' ? undefined : editing, body: { label_zh: values.label_zh.trim(), label_en: values.label_en.trim() } },
                {
                  onSuccess: () => setEditing(null),
                  onError: (error) => {
                    if (!applyProblemToForm(form, error)) void message.error(dealProblemMessage(error));
                  },
                },
              )
            }
          >
            <Form.Item name="label_zh" label={t('pipeline.settingsPage.nameZh')} rules={[{ required: true, whitespace: true, message: t('pipeline.settingsPage.nameRequired') }]}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="label_en" label={t('pipeline.settingsPage.nameEn')} rules={[{ required: true, whitespace: true, message: t('pipeline.settingsPage.nameRequired') }]}>
              <Input maxLength={100} />
            </Form.Item>
          </Form>
        </Modal>
      )}
    </Card>
  );
}

/** Pipelines and their stages (order, probability, kind, rotting), and the lost reasons. */
export default function PipelineSettingsPage() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useSession();
  const manage = canManageSales(me);
  const pipelines = usePipelines();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const pipeline =
    (pipelines.data ?? []).find((p) => p.id === selectedId) ??
    (pipelines.data ?? []).find((p) => p.is_default) ??
    pipelines.data?.[0];
  const [dialog, setDialog] = useState<
    | { kind: 'pipeline'; pipeline?: Pipeline }
    | { kind: 'stage'; stage?: PipelineStage }
    | { kind: 'delete-stage'; stage: PipelineStage }
    | null
  >(null);
  const reorder = useReorderStages(pipeline?.id ?? '');
  const update = useUpdatePipeline();
  const removePipeline = useDeletePipeline();

  const move = (index: number, direction: -1 | 1) => {
    if (!pipeline) return;
    reorder.mutate(reordered(pipeline.stages.map((s) => s.id), index, direction), {
      onError: (error) => void message.error(dealProblemMessage(error)),
    });
  };

  return (
    <>
      <PageHeader
        title={t('pipeline.settingsPage.title')}
        description={t('pipeline.settingsPage.description')}
        extra={
          manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'pipeline' })}>
              {t('pipeline.settingsPage.newPipeline')}
            </Button>
          )
        }
      />
      {!manage && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('pipeline.settingsPage.readOnly')} />}
      {pipelines.isError && <ProblemAlert error={pipelines.error} onRetry={() => void pipelines.refetch()} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={6}>
          <Card size="small" title={t('pipeline.settingsPage.pipelines')}>
            <List<Pipeline>
              size="small"
              loading={pipelines.isPending}
              dataSource={pipelines.data ?? []}
              renderItem={(p) => (
                <List.Item
                  onClick={() => setSelectedId(p.id)}
                  style={{ cursor: 'pointer', background: p.id === pipeline?.id ? '#eef3fd' : undefined, paddingInline: 8, borderRadius: 4 }}
                >
                  <Space size={6}>
                    <Typography.Text strong={p.id === pipeline?.id}>{p.name}</Typography.Text>
                    {p.is_default && <Tag color="blue" bordered={false}>{t('pipeline.settingsPage.default')}</Tag>}
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={18}>
          {pipeline ? (
            <Card
              size="small"
              title={
                <Space size={8}>
                  {pipeline.name}
                  {pipeline.is_default && <Tag color="blue" bordered={false}>{t('pipeline.settingsPage.default')}</Tag>}
                </Space>
              }
              extra={
                manage && (
                  <Space size={4}>
                    {!pipeline.is_default && (
                      <Button
                        size="small"
                        icon={<StarOutlined />}
                        onClick={() =>
                          update.mutate(
                            { pipeline, body: { is_default: true } },
                            { onError: (error) => void message.error(dealProblemMessage(error)) },
                          )
                        }
                      >
                        {t('pipeline.settingsPage.makeDefault')}
                      </Button>
                    )}
                    <Button size="small" icon={<EditOutlined />} onClick={() => setDialog({ kind: 'pipeline', pipeline })}>
                      {t('common.edit')}
                    </Button>
                    {!pipeline.is_default && (
                      <Popconfirm
                        title={t('pipeline.settingsPage.deletePipelineConfirm', { name: pipeline.name })}
                        okText={t('common.delete')}
                        cancelText={t('common.cancel')}
                        okButtonProps={{ danger: true }}
                        onConfirm={() =>
                          void removePipeline.mutateAsync(pipeline).then(
                            () => {
                              setSelectedId(null);
                              void message.success(t('pipeline.settingsPage.pipelineDeleted'));
                            },
                            (error: unknown) => void message.error(dealProblemMessage(error)),
                          )
                        }
                      >
                        <Button size="small" danger icon={<DeleteOutlined />}>
                          {t('common.delete')}
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                )
              }
            >
              {pipeline.description && <Typography.Paragraph type="secondary">{pipeline.description}</Typography.Paragraph>}
              <Table<PipelineStage>
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={pipeline.stages}
                loading={reorder.isPending}
                data-testid="stages-table"
                columns={[
                  {
                    key: 'order',
                    width: 80,
                    render: (_: unknown, _s, index) =>
                      manage ? (
                        <Space size={0}>
                          <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => move(index, -1)} aria-label={t('pipeline.settingsPage.moveUp')} />
                          <Button
                            type="text"
                            size="small"
                            icon={<ArrowDownOutlined />}
                            disabled={index === pipeline.stages.length - 1}
                            onClick={() => move(index, 1)}
                            aria-label={t('pipeline.settingsPage.moveDown')}
                          />
                        </Space>
                      ) : (
                        index + 1
                      ),
                  },
                  { key: 'name', title: t('pipeline.settingsPage.stageName'), render: (_: unknown, s) => <Typography.Text strong>{stageName(s, i18n.language)}</Typography.Text> },
                  { key: 'other', title: i18n.language === 'en' ? t('pipeline.settingsPage.nameZh') : t('pipeline.settingsPage.nameEn'), render: (_: unknown, s) => (i18n.language === 'en' ? s.name_zh : s.name_en) },
                  { key: 'kind', title: t('pipeline.settingsPage.kind'), dataIndex: 'kind', render: (k: StageKind) => <Tag color={kindColor(k)} bordered={false}>{t(`pipeline.kinds.${k}`)}</Tag> },
                  { key: 'probability', title: t('pipeline.settingsPage.probability'), dataIndex: 'probability', align: 'right', render: (p: number) => `${p}%` },
                  {
                    key: 'rotting_days',
                    title: t('pipeline.settingsPage.rottingDays'),
                    dataIndex: 'rotting_days',
                    align: 'right',
                    render: (d: number | null) => (d ? t('pipeline.settingsPage.days', { count: d }) : <Typography.Text type="secondary">{t('pipeline.settingsPage.never')}</Typography.Text>),
                  },
                  ...(manage
                    ? [
                        {
                          key: 'actions',
                          width: 90,
                          render: (_: unknown, s: PipelineStage) => (
                            <Space size={0}>
                              <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setDialog({ kind: 'stage', stage: s })} aria-label={t('common.edit')} />
                              <Button type="link" size="small" danger icon={<DeleteOutlined />} onClick={() => setDialog({ kind: 'delete-stage', stage: s })} aria-label={t('common.delete')} />
                            </Space>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
              {manage && (
                <Flex style={{ marginTop: 12 }}>
                  <Button icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'stage' })} data-testid="stage-add">
                    {t('pipeline.settingsPage.addStage')}
                  </Button>
                </Flex>
              )}
            </Card>
          ) : (
            pipelines.isSuccess && <Empty description={t('pipeline.noPipeline')} />
          )}
          <div style={{ marginTop: 16 }}>
            <LostReasonsCard manage={manage} />
          </div>
        </Col>
      </Row>
      {dialog?.kind === 'pipeline' && <PipelineModal pipeline={dialog.pipeline} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'stage' && pipeline && <StageModal pipeline={pipeline} stage={dialog.stage} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'delete-stage' && pipeline && (
        <DeleteStageModal pipeline={pipeline} stage={dialog.stage} onClose={() => setDialog(null)} />
      )}
    </>
  );
}
