import { App as AntApp, Alert, Button, Card, Form, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import type { CustomerSettings } from '../../api/types';
import { FullPageSpin } from '../../components/FullPageSpin';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useSession } from '../auth';
import { useCustomerSettings, useUpdateCustomerSettings } from './settingsApi';

const MATCH_TYPES = ['credit_code', 'phone', 'email', 'name'] as const;
const POLICIES = ['block', 'warn', 'allow'] as const;

type Values = Pick<CustomerSettings, 'levels' | 'duplicate_policy' | 'name_threshold'>;

/** Customer levels and the duplicate (撞单) policy, for owners and admins. */
export default function CustomerSettingsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useSession();
  const settings = useCustomerSettings();
  const update = useUpdateCustomerSettings();
  const [form] = Form.useForm<Values>();
  const editable = ['owner', 'admin'].includes(me.user.role);

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);

  if (settings.isPending) return <FullPageSpin />;
  if (settings.isError) return <ProblemAlert error={settings.error} />;

  const onFinish = (values: Values) =>
    update.mutate(values, {
      onSuccess: () => void message.success(t('customerSettings.saved')),
      onError: (error) => {
        if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
      },
    });

  return (
    <>
      <PageHeader title={t('customerSettings.title')} description={t('customerSettings.description')} />
      {!editable && <Alert type="info" showIcon message={t('customerSettings.readOnly')} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={onFinish} disabled={!editable} style={{ maxWidth: 720 }}>
        <Card title={t('customerSettings.levels')} style={{ marginBottom: 16 }}>
          <Form.Item
            name="levels"
            extra={t('customerSettings.levelsHelp')}
            rules={[{ required: true, type: 'array', min: 1, message: t('customerSettings.levelsRequired') }]}
          >
            <Select mode="tags" open={false} tokenSeparators={[',', '，']} />
          </Form.Item>
        </Card>
        <Card title={t('customerSettings.policy')} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">{t('customerSettings.policyHelp')}</Typography.Paragraph>
          {MATCH_TYPES.map((kind) => (
            <Form.Item key={kind} name={['duplicate_policy', kind]} label={t(`customerSettings.matchTypes.${kind}`)}>
              <Radio.Group
                optionType="button"
                options={POLICIES.map((p) => ({ value: p, label: t(`customerSettings.policies.${p}`) }))}
              />
            </Form.Item>
          ))}
          <Form.Item name="name_threshold" label={t('customerSettings.threshold')} extra={t('customerSettings.thresholdHelp')}>
            <InputNumber min={0.3} max={1} step={0.05} />
          </Form.Item>
        </Card>
        {editable && (
          <Space>
            <Button type="primary" htmlType="submit" loading={update.isPending}>
              {t('customerSettings.save')}
            </Button>
          </Space>
        )}
      </Form>
    </>
  );
}
