import { App as AntApp, Button, Col, Divider, Drawer, Flex, Form, Input, InputNumber, Radio, Row, Select, Space, Switch, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { TeamSelect } from '../../components/TeamSelect';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useCustomerLevels } from '../customers/settingsApi';
import { useSaveRoutingRule, useTicketSettings } from './api';
import { ROUTING_STRATEGIES, routingRuleBody, type RoutingRuleFormValues, routingRuleToForm } from './routing';
import { CHANNELS, typeLabel } from './statuses';
import type { RoutingRule } from './types';

/** Create or change a routing rule: which tickets it catches, the team, and how an agent is picked. */
export function RoutingRuleDrawer({ rule, nextPosition, onClose }: { rule?: RoutingRule; nextPosition: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<RoutingRuleFormValues>();
  const save = useSaveRoutingRule();
  const settings = useTicketSettings();
  const levels = useCustomerLevels();
  const strategy = Form.useWatch('strategy', form);
  const initialValues = useMemo(() => routingRuleToForm(rule), [rule]);
  // A rule may name a type the workspace has since removed: keep it selectable so it shows.
  const types = [...new Set([...(settings.data?.types ?? []), ...(rule?.conditions.types ?? [])])];

  const onFinish = (values: RoutingRuleFormValues) =>
    save.mutate(
      { rule, body: routingRuleBody(values, rule?.position ?? nextPosition) },
      {
        onSuccess: () => {
          void message.success(t('tickets.routing.saved'));
          onClose();
        },
        onError: (error) => {
          if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
        },
      },
    );

  return (
    <Drawer
      open
      width={640}
      title={rule ? t('tickets.routing.editTitle', { name: rule.name }) : t('tickets.routing.createTitle')}
      onClose={onClose}
      maskClosable={!save.isPending}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="routing-rule-submit">
            {rule ? t('common.save') : t('common.create')}
          </Button>
        </Space>
      }
    >
      <Form<RoutingRuleFormValues> form={form} layout="vertical" initialValues={initialValues} onFinish={onFinish} data-testid="routing-rule-form">
        <Row gutter={16}>
          <Col xs={24} sm={18}>
            <Form.Item name="name" label={t('tickets.routing.fields.name')} rules={[{ required: true, whitespace: true, message: t('tickets.policies.nameRequired') }]}>
              <Input maxLength={150} autoComplete="off" placeholder={t('tickets.routing.namePlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={6}>
            <Form.Item name="active" label={t('tickets.routing.fields.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          {t('tickets.routing.sections.conditions')}
        </Divider>
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t('tickets.routing.conditionsHelp')}
        </Typography.Paragraph>
        <Form.Item name="channels" label={t('tickets.fields.channel')}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('tickets.routing.anyChannel')}
            options={CHANNELS.map((c) => ({ value: c, label: t(`tickets.channels.${c}`) }))}
            data-testid="routing-rule-channels"
          />
        </Form.Item>
        <Form.Item name="types" label={t('tickets.fields.type')}>
          <Select
            mode="multiple"
            allowClear
            loading={settings.isPending}
            placeholder={t('tickets.routing.anyType')}
            options={types.map((type) => ({ value: type, label: typeLabel(type) }))}
          />
        </Form.Item>
        <Form.Item name="customer_levels" label={t('tickets.policies.levels')} extra={t('tickets.routing.levelsHelp')}>
          <Select mode="tags" options={levels.map((l) => ({ value: l, label: l }))} placeholder={t('tickets.routing.anyLevel')} />
        </Form.Item>
        <Divider orientation="left" plain>
          {t('tickets.routing.sections.target')}
        </Divider>
        <Form.Item name="team_id" label={t('tickets.routing.fields.team')} rules={[{ required: true, message: t('tickets.routing.teamRequired') }]}>
          <TeamSelect />
        </Form.Item>
        <Form.Item name="strategy" label={t('tickets.routing.fields.strategy')}>
          <Radio.Group style={{ width: '100%' }}>
            <Flex vertical gap={8}>
              {ROUTING_STRATEGIES.map((s) => (
                <Radio key={s} value={s} data-testid={`routing-strategy-${s}`}>
                  <Typography.Text strong>{t(`tickets.routing.strategies.${s}`)}</Typography.Text>
                  <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
                    {t(`tickets.routing.strategyHelp.${s}`)}
                  </Typography.Text>
                </Radio>
              ))}
            </Flex>
          </Radio.Group>
        </Form.Item>
        {strategy !== 'none' && (
          <Form.Item name="capacity" label={t('tickets.routing.fields.capacity')} extra={t('tickets.routing.capacityHelp')}>
            <InputNumber min={1} max={100000} precision={0} style={{ width: 160 }} placeholder={t('tickets.routing.noCapacity')} />
          </Form.Item>
        )}
      </Form>
    </Drawer>
  );
}
