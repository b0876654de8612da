import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Col, Drawer, Flex, Form, type FormInstance, Input, InputNumber, Row, Select, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { TeamSelect } from '../../components/TeamSelect';
import { isApiProblem } from '../../api/problem';
import { applyProblemToForm, fieldMessage, problemMessage } from '../../lib/problems';
import { type CommissionPlan, type PlanCreate, useSavePlan } from './api';
import { formatRate } from './format';

const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD'];

interface RuleValues {
  match: 'category' | 'rfm_tier';
  value: string;
  rate: string | null;
}

interface TierValues {
  min_attainment: string | null;
  multiplier: string | null;
}

interface Values {
  name: string;
  currency: string;
  base_rate: string | null;
  rules: RuleValues[];
  attainment_tiers: TierValues[];
  team_id: string | null;
  priority: number;
  active: boolean;
  notes?: string | null;
}

function valuesOf(plan?: CommissionPlan): Values {
  if (!plan) {
    return { name: '', currency: 'CNY', base_rate: '3', rules: [], attainment_tiers: [], team_id: null, priority: 100, active: true };
  }
  return {
    name: plan.name,
    currency: plan.currency,
    base_rate: formatRate(plan.base_rate),
    rules: plan.rules.map((r) => ({ match: r.match, value: r.value, rate: formatRate(r.rate) })),
    attainment_tiers: plan.attainment_tiers.map((tier) => ({
      min_attainment: formatRate(tier.min_attainment),
      multiplier: formatRate(tier.multiplier),
    })),
    team_id: plan.team_id,
    priority: plan.priority,
    active: plan.active,
    notes: plan.notes,
  };
}

const LIST_FIELD = /^body\.(rules|attainment_tiers)\.(\d+)\.(\w+)$/;

/** Field errors of the rule and tier rows (`body.rules.1.value` → row 1 of the list), then the rest. */
function applyPlanProblem(form: FormInstance<Values>, error: unknown): boolean {
  if (!isApiProblem(error)) return false;
  const rows = error.errors.flatMap((e) => {
    const match = LIST_FIELD.exec(e.field);
    return match ? [{ name: [match[1], Number(match[2]), match[3]], errors: [fieldMessage(e.message)] }] : [];
  });
  if (rows.length) form.setFields(rows as Parameters<typeof form.setFields>[0]);
  const rest: unknown = Object.assign(Object.create(Object.getPrototypeOf(error) as object) as object, error, {
    errors: error.errors.filter((e) => !LIST_FIELD.test(e.field)),
  });
  return applyProblemToForm(form, rest) || rows.length > 0;
}

/** Create or change a commission plan: base rate, ordered overrides and attainment tiers. */
export function PlanDrawer({ plan, onClose }: { plan?: CommissionPlan; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSavePlan();

  const onFinish = (values: Values) => {
    const body: PlanCreate = {
      name: values.name.trim(),
      currency: values.currency,
      base_rate: String(values.base_rate ?? '0'),
      rules: values.rules.map((r) => ({ match: r.match, value: r.value.trim(), rate: String(r.rate ?? '0') })),
      attainment_tiers: values.attainment_tiers.map((tier) => ({
        min_attainment: String(tier.min_attainment ?? '0'),
        multiplier: String(tier.multiplier ?? '1'),
      })),
      team_id: values.team_id ?? null,
      priority: values.priority,
      active: values.active,
      notes: values.notes?.trim() || null,
    };
    save.mutate(
      { plan, body },
      {
        onSuccess: () => {
          void message.success(t('commission.planSaved'));
          onClose();
        },
        onError: (error) => {
          if (!applyPlanProblem(form, error)) void message.error(problemMessage(error));
        },
      },
    );
  };

  return (
    <Drawer
      open
      width={640}
      onClose={onClose}
      title={plan ? t('commission.editPlan', { name: plan.name }) : t('commission.createPlan')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="plan-submit">
            {plan ? t('common.save') : t('common.create')}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} layout="vertical" initialValues={valuesOf(plan)} onFinish={onFinish} data-testid="plan-form">
        <Row gutter={12}>
          <Col xs={24} sm={16}>
            <Form.Item
              name="name"
              label={t('commission.fields.name')}
              rules={[{ required: true, whitespace: true, message: t('commission.nameRequired') }]}
            >
              <Input maxLength={120} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="currency" label={t('commission.fields.currency')}>
              <Select options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="base_rate" label={t('commission.fields.baseRate')} rules={[{ required: true, message: t('commission.rateRequired') }]}>
              <InputNumber<string> stringMode min="0" max="100" precision={4} addonAfter="%" style={{ width: '100%' }} data-testid="plan-base-rate" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="priority" label={t('commission.fields.priority')} tooltip={t('commission.priorityHelp')}>
              <InputNumber min={0} max={10000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="active" label={t('commission.fields.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="team_id" label={t('commission.fields.team')} extra={t('commission.teamHelp')}>
              <TeamSelect placeholder={t('commission.everyone')} />
            </Form.Item>
          </Col>
        </Row>

        <Typography.Title level={5}>{t('commission.rulesTitle')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('commission.rulesHelp')}</Typography.Paragraph>
        <Form.List name="rules">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Flex key={field.key} gap={8} align="flex-start" data-testid={`plan-rule-${index}`}>
                  <Form.Item name={[field.name, 'match']} style={{ width: 140 }}>
                    <Select
                      options={(['category', 'rfm_tier'] as const).map((m) => ({ value: m, label: t(`commission.matches.${m}`) }))}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'value']}
                    style={{ flex: 1 }}
                    rules={[{ required: true, whitespace: true, message: t('commission.valueRequired') }]}
                  >
                    <Input placeholder={t('commission.valuePlaceholder')} maxLength={100} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'rate']} style={{ width: 130 }} rules={[{ required: true, message: t('commission.rateRequired') }]}>
                    <InputNumber<string> stringMode min="0" max="100" precision={4} addonAfter="%" />
                  </Form.Item>
                  <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.remove')} onClick={() => remove(field.name)} />
                </Flex>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ match: 'category', value: '', rate: null })}
                style={{ marginBottom: 16 }}
                data-testid="plan-add-rule"
              >
                {t('commission.addRule')}
              </Button>
            </>
          )}
        </Form.List>

        <Typography.Title level={5}>{t('commission.tiersTitle')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('commission.tiersHelp')}</Typography.Paragraph>
        <Form.List name="attainment_tiers">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Flex key={field.key} gap={8} align="flex-start" data-testid={`plan-tier-${index}`}>
                  <Form.Item
                    name={[field.name, 'min_attainment']}
                    label={index === 0 ? t('commission.fields.minAttainment') : undefined}
                    rules={[{ required: true, message: t('commission.rateRequired') }]}
                  >
                    <InputNumber<string> stringMode min="0" precision={2} addonBefore="≥" addonAfter="%" />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'multiplier']}
                    label={index === 0 ? t('commission.fields.multiplier') : undefined}
                    rules={[{ required: true, message: t('commission.rateRequired') }]}
                  >
                    <InputNumber<string> stringMode min="0" max="10" precision={4} addonBefore="×" />
                  </Form.Item>
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('common.remove')}
                    onClick={() => remove(field.name)}
                    style={{ marginTop: index === 0 ? 30 : 0 }}
                  />
                </Flex>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ min_attainment: null, multiplier: '1' })}
                style={{ marginBottom: 16 }}
              >
                {t('commission.addTier')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item name="notes" label={t('commission.fields.notes')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
