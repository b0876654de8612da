import { FileDoneOutlined, TrophyOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Form, Input, Modal, Result, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import type { PipelineStage } from '../../api/types';
import { canWrite, useSession } from '../auth';
import { useLostReasons } from './api';
import { contractPath, dealProblemMessage, reasonLabel, stageName } from './labels';
import { formatMoney } from './money';

export interface DealRef {
  id: string;
  name: string;
  amount: string;
  currency: string;
}

/** The offer shown once a deal is won: its contract is the next step. */
export function CreateContractButton({ dealId, size }: { dealId: string; size?: 'small' | 'middle' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSession();
  if (!canWrite(me, 'contracts')) return null;
  return (
    <Button type="primary" size={size} icon={<FileDoneOutlined />} onClick={() => void navigate(contractPath(dealId))} data-testid="create-contract">
      {t('deals.win.createContract')}
    </Button>
  );
}

/**
 * Confirm a win; once the server agrees, the dialog congratulates and offers the contract.
 * `onConfirm` does the call (an optimistic board move or a plain win).
 */
export function WinDialog({
  deal,
  stage,
  onConfirm,
  onClose,
}: {
  deal: DealRef;
  stage?: PipelineStage;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const [state, setState] = useState<'confirm' | 'saving' | 'won'>('confirm');

  const confirm = () => {
    setState('saving');
    onConfirm().then(
      () => setState('won'),
      (error: unknown) => {
        setState('confirm');
        void message.error(dealProblemMessage(error));
      },
    );
  };

  if (state === 'won') {
    return (
      <Modal open footer={null} onCancel={onClose} width={480} data-testid="win-dialog">
        <Result
          status="success"
          icon={<TrophyOutlined style={{ color: '#d4a106' }} />}
          title={t('deals.win.done', { name: deal.name })}
          subTitle={t('deals.win.nextStep')}
          extra={
            <Space>
              <Button onClick={onClose} data-testid="win-later">
                {t('deals.win.later')}
              </Button>
              <CreateContractButton dealId={deal.id} />
            </Space>
          }
        />
      </Modal>
    );
  }
  return (
    <Modal
      open
      title={t('deals.win.title')}
      okText={t('deals.win.confirm')}
      cancelText={t('common.cancel')}
      onOk={confirm}
      onCancel={onClose}
      confirmLoading={state === 'saving'}
      okButtonProps={{ 'data-testid': 'win-confirm' }}
      data-testid="win-dialog"
    >
      <Typography.Paragraph>
        {t('deals.win.question', { name: deal.name, amount: formatMoney(deal.amount, deal.currency, i18n.language) })}
      </Typography.Paragraph>
      {stage && (
        <Typography.Text type="secondary">{t('deals.win.toStage', { stage: stageName(stage, i18n.language) })}</Typography.Text>
      )}
    </Modal>
  );
}

interface LoseValues {
  lost_reason_id?: string;
  lost_note?: string;
}

/** Lose a deal: a reason from the workspace's list is required, a note is welcome. */
export function LoseDialog({
  deal,
  stage,
  onConfirm,
  onClose,
}: {
  deal: DealRef;
  stage?: PipelineStage;
  onConfirm: (reasonId: string, note: string | null) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<LoseValues>();
  const reasons = useLostReasons();
  const [saving, setSaving] = useState(false);

  const submit = (values: LoseValues) => {
    setSaving(true);
    onConfirm(values.lost_reason_id!, values.lost_note?.trim() || null).then(
      () => {
        setSaving(false);
        void message.success(t('deals.lose.done', { name: deal.name }));
        onClose();
      },
      (error: unknown) => {
        setSaving(false);
        void message.error(dealProblemMessage(error));
      },
    );
  };

  return (
    <Modal
      open
      title={t('deals.lose.title')}
      okText={t('deals.lose.confirm')}
      okButtonProps={{ danger: true, 'data-testid': 'lose-confirm' }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      destroyOnHidden
      data-testid="lose-dialog"
    >
      <Typography.Paragraph>
        {t('deals.lose.question', { name: deal.name })}
        {stage && (
          <Typography.Text type="secondary"> {t('deals.lose.toStage', { stage: stageName(stage, i18n.language) })}</Typography.Text>
        )}
      </Typography.Paragraph>
      <Form<LoseValues> form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="lost_reason_id" label={t('deals.lose.reason')} rules={[{ required: true, message: t('deals.lose.reasonRequired') }]}>
          <Select
            loading={reasons.isPending}
            placeholder={t('deals.lose.reasonPlaceholder')}
            options={(reasons.data ?? []).map((r) => ({ value: r.id, label: reasonLabel(r, i18n.language) }))}
            data-testid="lose-reason"
          />
        </Form.Item>
        <Form.Item name="lost_note" label={t('deals.lose.note')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Reopen a won or lost deal into one of its pipeline's open stages. */
export function ReopenDialog({
  deal,
  stages,
  onConfirm,
  onClose,
}: {
  deal: DealRef;
  stages: PipelineStage[];
  onConfirm: (stageId: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const open = stages.filter((s) => s.kind === 'open');
  const [stageId, setStageId] = useState<string | undefined>(open[open.length - 1]?.id);
  const [saving, setSaving] = useState(false);
  return (
    <Modal
      open
      title={t('deals.reopen.title')}
      okText={t('deals.reopen.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !stageId, 'data-testid': 'reopen-confirm' }}
      confirmLoading={saving}
      onCancel={onClose}
      onOk={() => {
        if (!stageId) return;
        setSaving(true);
        onConfirm(stageId).then(
          () => {
            setSaving(false);
            void message.success(t('deals.reopen.done'));
            onClose();
          },
          (error: unknown) => {
            setSaving(false);
            void message.error(dealProblemMessage(error));
          },
        );
      }}
    >
      <Typography.Paragraph>{t('deals.reopen.question', { name: deal.name })}</Typography.Paragraph>
      <Select
        value={stageId}
        onChange={setStageId}
        style={{ width: '100%' }}
        options={open.map((s) => ({ value: s.id, label: `${stageName(s, i18n.language)} · ${s.probability}%` }))}
      />
    </Modal>
  );
}
