import { App as AntApp, Alert, Button, Descriptions, Form, Input, Modal, Result, Space, Steps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { HandoverReport, User } from '../../api/types';
import { UserSelect } from '../../components/UserSelect';
import { translateIfExists } from '../../i18n';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useHandover, useSetUserActive, useUserDirectory } from './api';
import { entityLabel, type OwnedCounts } from './handover';

/**
 * Move everything `user` owns to someone else in one step: pick the receiver, confirm, read
 * the report. Offered from the users list and when a deactivation is refused (`owns_records`);
 * then it also offers to finish the deactivation.
 */
export function HandoverWizard({
  user,
  owned,
  offerDeactivate = false,
  onClose,
}: {
  user: User;
  owned?: OwnedCounts;
  offerDeactivate?: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ to_user_id: string; reason?: string }>();
  const directory = useUserDirectory();
  const handover = useHandover();
  const deactivate = useSetUserActive();
  const [step, setStep] = useState(0);
  const [choice, setChoice] = useState<{ to_user_id: string; reason?: string } | null>(null);
  const [report, setReport] = useState<HandoverReport | null>(null);
  const receiver = choice ? directory.byId.get(choice.to_user_id) : undefined;

  const run = () => {
    if (!choice) return;
    handover.mutate(
      { userId: user.id, body: { to_user_id: choice.to_user_id, reason: choice.reason?.trim() || null } },
      {
        onSuccess: (result) => {
          setReport(result);
          setStep(2);
        },
        onError: (error) => {
          setStep(0);
          if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
        },
      },
    );
  };

  const footer =
    step === 0 ? (
      <Space>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button type="primary" onClick={() => form.submit()} data-testid="handover-next">
          {t('common.next')}
        </Button>
      </Space>
    ) : step === 1 ? (
      <Space>
        <Button onClick={() => setStep(0)} disabled={handover.isPending}>
          {t('common.previous')}
        </Button>
        <Button type="primary" danger loading={handover.isPending} onClick={run} data-testid="handover-confirm">
          {t('handover.confirm')}
        </Button>
      </Space>
    ) : (
      <Space>
        {offerDeactivate && user.is_active && (
          <Button
            danger
            loading={deactivate.isPending}
            onClick={() =>
              deactivate.mutate(
                { id: user.id, active: false },
                {
                  onSuccess: () => {
                    void message.success(t('users.deactivated', { name: user.name }));
                    onClose();
                  },
                  onError: (error) => void message.error(problemMessage(error)),
                },
              )
            }
          >
            {t('handover.deactivateNow', { name: user.name })}
          </Button>
        )}
        <Button type="primary" onClick={onClose} data-testid="handover-done">
          {t('common.done')}
        </Button>
      </Space>
    );

  return (
    <Modal open title={t('handover.title', { name: user.name })} onCancel={onClose} footer={footer} width={600} maskClosable={false} destroyOnHidden>
      <Steps
        size="small"
        current={step}
        style={{ margin: '16px 0 24px' }}
        items={[{ title: t('handover.steps.pick') }, { title: t('handover.steps.confirm') }, { title: t('handover.steps.report') }]}
      />
      {step === 0 && (
        <>
          {owned && Object.keys(owned).length > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              message={t('handover.stillOwns', {
                name: user.name,
                what: Object.entries(owned).map(([e, n]) => entityLabel(e, n)).join(t('common.listSeparator')),
              })}
            />
          )}
          <Form
            form={form}
            layout="vertical"
            initialValues={choice ?? undefined}
            onFinish={(values) => {
              setChoice(values);
              setStep(1);
            }}
            data-testid="handover-form"
          >
            <Form.Item name="to_user_id" label={t('handover.to')} rules={[{ required: true, message: t('handover.toRequired') }]}>
              <UserSelect exclude={[user.id]} placeholder={t('handover.toPlaceholder')} />
            </Form.Item>
            <Form.Item name="reason" label={t('handover.reason')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} placeholder={t('handover.reasonPlaceholder')} />
            </Form.Item>
          </Form>
        </>
      )}
      {step === 1 && (
        <Typography.Paragraph>
          {t('handover.confirmText', { from: user.name, to: receiver?.name ?? '' })}
        </Typography.Paragraph>
      )}
      {step === 2 && report && (
        <Result
          status="success"
          title={t('handover.doneTitle', { to: receiver?.name ?? '' })}
          style={{ padding: '8px 0' }}
          extra={
            <Descriptions
              bordered
              size="small"
              column={1}
              data-testid="handover-report"
              items={
                Object.keys(report.counts).length > 0
                  ? Object.entries(report.counts).map(([entity, count]) => ({
                      key: entity,
                      label: translateIfExists(`handover.names.${entity}`) ?? entity,
                      children: count,
                    }))
                  : [{ key: 'none', label: t('handover.nothing'), children: 0 }]
              }
            />
          }
        />
      )}
    </Modal>
  );
}
