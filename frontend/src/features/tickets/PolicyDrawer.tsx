import { App as AntApp, Button, Col, Drawer, Form, Input, InputNumber, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useCustomerLevels } from '../customers/settingsApi';
import { useCalendars, useSavePolicy } from './api';
import { type Amount, type PolicyDraft, policyDraft, policyPayload, type TimeUnit } from './policy';
import { PRIORITIES, PRIORITY_COLORS } from './statuses';
import type { SlaPolicy, TicketPriority } from './types';

function AmountInput({ value, onChange, testId }: { value: Amount; onChange: (next: Amount) => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <Space.Compact style={{ width: '100%' }}>
      <InputNumber<number>
        min={0}
        max={value.unit === 'hours' ? 8760 : 525600}
        step={value.unit === 'hours' ? 1 : 5}
        value={value.value}
        onChange={(v) => onChange({ ...value, value: v ?? null })}
        placeholder={t('tickets.policies.noTarget')}
        style={{ width: '100%' }}
        data-testid={testId}
      />
      <Select<TimeUnit>
        value={value.unit}
        onChange={(unit) => onChange({ ...value, unit })}
        options={(['minutes', 'hours'] as const).map((unit) => ({ value: unit, label: t(`tickets.policies.units.${unit}`) }))}
        style={{ width: 96 }}
      />
    </Space.Compact>
  );
}

/** Create or edit an SLA policy: where it applies, its calendar, targets per priority. */
export function PolicyDrawer({ policy, onClose }: { policy?: SlaPolicy; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Omit<PolicyDraft, 'targets'>>();
  const [targets, setTargets] = useState(() => policyDraft(policy).targets);
  const levels = useCustomerLevels();
  const calendars = useCalendars();
  const save = useSavePolicy();
  const initial = policyDraft(policy);

  const setTarget = (priority: TicketPriority, which: 'first' | 'resolution', amount: Amount) =>
    setTargets((current) => ({ ...current, [priority]: { ...current[priority], [which]: amount } }));

  const submit = (values: Omit<PolicyDraft, 'targets'>) => {
    const body = policyPayload({ ...initial, ...values, calendar_id: values.calendar_id ?? null, targets });
    save.mutate(
      { policy, body },
      {
        onSuccess: () => {
          void message.success(t('tickets.policies.saved'));
          onClose();
        },
        onError: (error) => {
          if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
        },
      },
    );
  };

  return (
    <Drawer
      open
      width={760}
      title={policy ? t('tickets.policies.editTitle', { name: policy.name }) : t('tickets.policies.createTitle')}
      onClose={onClose}
      maskClosable={!save.isPending}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="policy-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<Omit<PolicyDraft, 'targets'>>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={submit}
        data-testid="policy-form"
      >
        <Row gutter={16}>
          <Col xs={24} sm={16}>
            <Form.Item name="name" label={t('tickets.policies.name')} rules={[{ required: true, whitespace: true, message: t('tickets.policies.nameRequired') }]}>
              <Input maxLength={120} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={4}>
            <Form.Item name="position" label={t('tickets.policies.position')} tooltip={t('tickets.policies.positionHelp')}>
              <InputNumber min={0} max={10000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={4}>
            <Form.Item name="active" label={t('tickets.policies.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="customer_levels" label={t('tickets.policies.levels')} extra={t('tickets.policies.levelsHelp')}>
              <Select mode="tags" options={levels.map((l) => ({ value: l, label: l }))} placeholder={t('tickets.policies.allCustomers')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="calendar_id" label={t('tickets.policies.calendar')} extra={t('tickets.policies.calendarHelp')}>
              <Select
                allowClear
                loading={calendars.isPending}
                placeholder={t('tickets.policies.aroundTheClock')}
                options={(calendars.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="warning_minutes" label={t('tickets.policies.warning')} extra={t('tickets.policies.warningHelp')}>
              <InputNumber min={0} max={10080} addonAfter={t('tickets.policies.units.minutes')} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <Typography.Title level={5}>{t('tickets.policies.targets')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('tickets.policies.targetsHelp')}</Typography.Paragraph>
      <Table<{ priority: TicketPriority }>
        size="small"
        pagination={false}
        rowKey="priority"
        dataSource={PRIORITIES.map((priority) => ({ priority }))}
        columns={[
          {
            key: 'priority',
            title: t('tickets.fields.priority'),
            width: 90,
            render: (_: unknown, { priority }) => <Tag color={PRIORITY_COLORS[priority]}>{t(`tickets.priorities.${priority}`)}</Tag>,
          },
          {
            key: 'first',
            title: t('tickets.sla.firstResponse'),
            render: (_: unknown, { priority }) => (
              <AmountInput value={targets[priority].first} onChange={(a) => setTarget(priority, 'first', a)} testId={`target-${priority}-first`} />
            ),
          },
          {
            key: 'resolution',
            title: t('tickets.sla.resolution'),
            render: (_: unknown, { priority }) => (
              <AmountInput
                value={targets[priority].resolution}
                onChange={(a) => setTarget(priority, 'resolution', a)}
                testId={`target-${priority}-resolution`}
              />
            ),
          },
        ]}
      />
    </Drawer>
  );
}
