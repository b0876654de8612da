import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App as AntApp,
  Button,
  Col,
  Divider,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import type { CustomField } from '../../api/types';
import { TeamSelect } from '../../components/TeamSelect';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useCampaignDirectory } from '../campaigns/api';
import { useCustomFields } from '../custom-fields/api';
import { CustomFieldControl } from '../custom-fields/CustomFieldInput';
import { fieldLabel } from '../custom-fields/values';
import { useUserDirectory } from '../users';
import { type AssignmentRule, STRATEGIES, useSaveRule } from './api';
import { ruleBody, type RuleFormValues, ruleToForm } from './rules';

const TAG_SEPARATORS = [',', '，', ';', '；'];

function CustomConditionValue({ defs, name }: { defs: readonly CustomField[]; name: number }) {
  const { t } = useTranslation();
  const key = Form.useWatch(['custom', name, 'key']) as string | undefined;
  const def = defs.find((d) => d.key === key);
  return (
    <Form.Item name={[name, 'value']} style={{ flex: 1, marginBottom: 8 }} rules={[{ required: true, message: t('assignmentRules.valueRequired') }]}>
      {def ? <CustomFieldControl field={def} /> : <Input disabled />}
    </Form.Item>
  );
}

/** Create or change a rule: when it applies, how it picks the owner, and from whom. */
export function RuleEditorDrawer({
  rule,
  nextPosition,
  onClose,
}: {
  rule?: AssignmentRule;
  nextPosition: number;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<RuleFormValues>();
  const fields = useCustomFields('lead');
  const users = useUserDirectory();
  const campaigns = useCampaignDirectory();
  const save = useSaveRule();
  const strategy = Form.useWatch('strategy', form);
  const userIds = Form.useWatch('user_ids', form) as string[] | undefined;
  const defs = fields.data ?? [];
  const initialValues = useMemo(() => ruleToForm(rule, fields.data ?? []), [rule, fields.data]);

  const userOptions = users.users
    .filter((u) => u.is_active || rule?.user_ids.includes(u.id))
    .map((u) => ({ value: u.id, label: u.name }));

  const onFinish = (values: RuleFormValues) =>
    save.mutate(
      { rule, body: ruleBody(values, defs, rule?.position ?? nextPosition) },
      {
        onSuccess: () => {
          void message.success(t('assignmentRules.saved'));
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
      width={680}
      title={rule ? t('assignmentRules.editTitle', { name: rule.name }) : t('assignmentRules.createTitle')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="rule-form-submit">
            {rule ? t('common.save') : t('common.create')}
          </Button>
        </Space>
      }
    >
      <Form<RuleFormValues>
        key={fields.isSuccess ? 'ready' : 'loading'}
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={onFinish}
        data-testid="rule-form"
      >
        <Row gutter={16}>
          <Col xs={24} sm={18}>
            <Form.Item
              name="name"
              label={t('assignmentRules.fields.name')}
              rules={[{ required: true, whitespace: true, message: t('assignmentRules.nameRequired') }]}
            >
              <Input maxLength={150} autoComplete="off" placeholder={t('assignmentRules.namePlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={6}>
            <Form.Item name="active" label={t('assignmentRules.fields.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          {t('assignmentRules.sections.conditions')}
        </Divider>
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t('assignmentRules.conditionsHelp')}
        </Typography.Paragraph>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="sources" label={t('assignmentRules.fields.sources')}>
              <Select mode="tags" tokenSeparators={TAG_SEPARATORS} open={false} suffixIcon={null} placeholder={t('assignmentRules.anySource')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="campaign_ids" label={t('assignmentRules.fields.campaigns')}>
              <Select
                mode="multiple"
                allowClear
                optionFilterProp="label"
                placeholder={t('assignmentRules.anyCampaign')}
                options={campaigns.campaigns.map((c) => ({ value: c.id, label: c.name }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="provinces" label={t('assignmentRules.fields.provinces')}>
              <Select mode="tags" tokenSeparators={TAG_SEPARATORS} open={false} suffixIcon={null} placeholder={t('assignmentRules.anyRegion')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="cities" label={t('assignmentRules.fields.cities')}>
              <Select mode="tags" tokenSeparators={TAG_SEPARATORS} open={false} suffixIcon={null} placeholder={t('assignmentRules.anyRegion')} />
            </Form.Item>
          </Col>
        </Row>
        {defs.length > 0 && (
          <Form.Item label={t('assignmentRules.fields.custom')}>
            <Form.List name="custom">
              {(items, { add, remove }) => (
                <Flex vertical>
                  {items.map((item) => (
                    <Flex key={item.key} gap={8} align="flex-start">
                      <Form.Item name={[item.name, 'key']} style={{ width: 200, marginBottom: 8 }} rules={[{ required: true, message: t('assignmentRules.fieldRequired') }]}>
                        <Select
                          placeholder={t('assignmentRules.pickField')}
                          options={defs.map((d) => ({ value: d.key, label: fieldLabel(d, i18n.language) }))}
                        />
                      </Form.Item>
                      <Typography.Text style={{ lineHeight: '32px' }}>=</Typography.Text>
                      <CustomConditionValue defs={defs} name={item.name} />
                      <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(item.name)} aria-label={t('common.remove')} />
                    </Flex>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} style={{ alignSelf: 'flex-start' }}>
                    {t('assignmentRules.addCustom')}
                  </Button>
                </Flex>
              )}
            </Form.List>
          </Form.Item>
        )}
        <Divider orientation="left" plain>
          {t('assignmentRules.sections.strategy')}
        </Divider>
        <Form.Item name="strategy">
          <Radio.Group style={{ width: '100%' }}>
            <Flex vertical gap={8}>
              {STRATEGIES.map((s) => (
                <Radio key={s} value={s} data-testid={`rule-strategy-${s}`}>
                  <Typography.Text strong>{t(`assignmentRules.strategies.${s}`)}</Typography.Text>
                  <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
                    {t(`assignmentRules.strategyHelp.${s}`)}
                  </Typography.Text>
                </Radio>
              ))}
            </Flex>
          </Radio.Group>
        </Form.Item>
        {strategy === 'team' ? (
          <Form.Item name="team_id" label={t('assignmentRules.fields.team')} rules={[{ required: true, message: t('assignmentRules.teamRequired') }]}>
            <TeamSelect />
          </Form.Item>
        ) : (
          <Form.Item
            name="user_ids"
            label={strategy === 'fixed_user' ? t('assignmentRules.fields.user') : t('assignmentRules.fields.users')}
            extra={strategy === 'round_robin' || strategy === 'weighted' ? t('assignmentRules.orderHelp') : undefined}
            rules={[{ required: true, type: 'array', min: 1, message: t('assignmentRules.usersRequired') }]}
          >
            <Select
              mode="multiple"
              maxCount={strategy === 'fixed_user' ? 1 : undefined}
              optionFilterProp="label"
              options={userOptions}
              loading={users.isPending}
              data-testid="rule-users"
            />
          </Form.Item>
        )}
        {strategy === 'weighted' && (userIds?.length ?? 0) > 0 && (
          <Form.Item label={t('assignmentRules.fields.weights')} extra={t('assignmentRules.weightsHelp')}>
            <Flex vertical gap={6}>
              {(userIds ?? []).map((id) => (
                <Flex key={id} align="center" gap={8}>
                  <Typography.Text style={{ width: 140 }} ellipsis>
                    {users.byId.get(id)?.name ?? id}
                  </Typography.Text>
                  <Form.Item name={['weights', id]} noStyle initialValue={1}>
                    <InputNumber min={1} max={100} precision={0} style={{ width: 100 }} />
                  </Form.Item>
                </Flex>
              ))}
            </Flex>
          </Form.Item>
        )}
        {strategy !== 'fixed_user' && (
          <Form.Item name="capacity" label={t('assignmentRules.fields.capacity')} extra={t('assignmentRules.capacityHelp')}>
            <InputNumber min={1} max={100000} precision={0} style={{ width: 160 }} placeholder={t('assignmentRules.noCapacity')} />
          </Form.Item>
        )}
      </Form>
    </Drawer>
  );
}
