import { Alert, App as AntApp, Button, Card, Form, Input, InputNumber } from 'antd';
import dayjs from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import type { ContractSettings } from '../../api/types';
import { FullPageSpin } from '../../components/FullPageSpin';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { applyProblemToForm } from '../../lib/problems';
import { useSession } from '../auth';
import { useContractSettings, useUpdateContractSettings } from './api';
import { cashProblemMessage } from './problems';

/** Contract number prefix and reminder lead times, for owners and admins. */
export default function ContractSettingsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useSession();
  const settings = useContractSettings();
  const update = useUpdateContractSettings();
  const [form] = Form.useForm<ContractSettings>();
  const editable = ['owner', 'admin'].includes(me.user.role);
  const prefix = Form.useWatch('number_prefix', form);

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);

  if (settings.isPending) return <FullPageSpin />;
  if (settings.isError) return <ProblemAlert error={settings.error} onRetry={() => void settings.refetch()} />;

  const onFinish = (values: ContractSettings) =>
    update.mutate(values, {
      onSuccess: () => void message.success(t('contracts.settings.saved')),
      onError: (error) => {
        if (!applyProblemToForm(form, error)) void message.error(cashProblemMessage(error));
      },
    });

  return (
    <>
      <PageHeader title={t('contracts.settings.title')} description={t('contracts.settings.description')} />
      {!editable && <Alert type="info" showIcon message={t('contracts.settings.readOnly')} style={{ marginBottom: 16 }} />}
      <Form<ContractSettings>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        disabled={!editable}
        style={{ maxWidth: 640 }}
        data-testid="contract-settings-form"
      >
        <Card style={{ marginBottom: 16 }}>
          <Form.Item
            name="number_prefix"
            label={t('contracts.settings.prefix')}
            extra={t('contracts.settings.prefixExample', { example: `${prefix || 'HT'}-${dayjs().year()}-0001` })}
            rules={[
              { required: true, message: t('contracts.settings.prefixRequired') },
              { pattern: /^[A-Za-z0-9]{1,10}$/, message: t('contracts.settings.prefixInvalid') },
            ]}
          >
            <Input maxLength={10} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item
            name="payment_reminder_days"
            label={t('contracts.settings.paymentReminder')}
            extra={t('contracts.settings.paymentReminderHelp')}
          >
            <InputNumber min={0} max={90} addonAfter={t('contracts.settings.days')} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item
            name="renewal_reminder_days"
            label={t('contracts.settings.renewalReminder')}
            extra={t('contracts.settings.renewalReminderHelp')}
          >
            <InputNumber min={0} max={365} addonAfter={t('contracts.settings.days')} style={{ width: 200 }} />
          </Form.Item>
        </Card>
        {editable && (
          <Button type="primary" htmlType="submit" loading={update.isPending}>
            {t('common.save')}
          </Button>
        )}
      </Form>
    </>
  );
}
