import { ExperimentOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Col, Flex, Form, Input, Row, Select, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import { problemMessage } from '../../lib/problems';
import { useCampaignDirectory } from '../campaigns/api';
import { useCustomFields } from '../custom-fields/api';
import { CustomFieldItems } from '../custom-fields/CustomFieldInput';
import { customValuesFromForm, customValuesToForm, type CustomValues } from '../custom-fields/values';
import { assignmentNoteText } from '../leads/assignmentNote';
import { useUserDirectory } from '../users';
import { type AssignmentRule, type PreviewLead, usePreviewRules } from './api';

interface Values {
  source?: string;
  campaign_id?: string | null;
  province?: string;
  city?: string;
  custom_fields?: CustomValues;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * "Test the rules": a made-up lead goes through the saved rules as a real one would, and the
 * answer says which rule catches it and who would get it. Nothing is saved, nobody's turn is
 * used up. `sample` (from a rule's "test" button) fills the form and runs at once.
 */
export function RulePreviewCard({
  rules,
  sample,
  focusRule,
}: {
  rules: readonly AssignmentRule[];
  sample: PreviewLead | null;
  focusRule: AssignmentRule | null;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const fields = useCustomFields('lead');
  const campaigns = useCampaignDirectory();
  const users = useUserDirectory();
  const preview = usePreviewRules();
  const { mutate, reset } = preview;

  const run = (body: PreviewLead) =>
    mutate(body, { onError: (error) => void message.error(problemMessage(error)) });

  useEffect(() => {
    if (!sample) return;
    form.setFieldsValue({
      source: sample.source ?? undefined,
      campaign_id: sample.campaign_id ?? undefined,
      province: sample.province ?? undefined,
      city: sample.city ?? undefined,
    });
    form.setFieldValue('custom_fields', customValuesToForm(fields.data ?? [], sample.custom_fields ?? {}));
    reset();
    mutate(sample);
  }, [sample, form, fields.data, mutate, reset]);

  const onFinish = (values: Values) => {
    const custom = customValuesFromForm(fields.data ?? [], values.custom_fields, { keepNulls: false });
    run({
      name: 'preview',
      score: 0,
      source: values.source?.trim() || null,
      campaign_id: values.campaign_id ?? null,
      province: values.province?.trim() || null,
      city: values.city?.trim() || null,
      custom_fields: Object.keys(custom).length > 0 ? custom : null,
    });
  };

  const result = preview.data;
  const matched = result?.rule_id ? rules.find((r) => r.id === result.rule_id) : undefined;
  const owner = result?.owner_id ? users.byId.get(result.owner_id) : undefined;

  return (
    <Card
      size="small"
      title={
        <Flex gap={6} align="center">
          <ExperimentOutlined />
          {focusRule ? t('assignmentRules.preview.titleFor', { name: focusRule.name }) : t('assignmentRules.preview.title')}
        </Flex>
      }
      data-testid="rule-preview"
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('assignmentRules.preview.help')}
      </Typography.Paragraph>
      {focusRule && !focusRule.active && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('assignmentRules.preview.inactive')} />
      )}
      <Form<Values> form={form} layout="vertical" size="small" onFinish={onFinish}>
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item name="source" label={t('leads.fields.source')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="campaign_id" label={t('leads.fields.campaign')}>
              <Select allowClear options={campaigns.campaigns.map((c) => ({ value: c.id, label: c.name }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="province" label={t('leads.fields.province')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="city" label={t('leads.fields.city')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
        </Row>
        {(fields.data?.length ?? 0) > 0 && <CustomFieldItems fields={(fields.data ?? []).map((f) => ({ ...f, required: false }))} />}
        <Button type="primary" htmlType="submit" loading={preview.isPending} block data-testid="rule-preview-run">
          {t('assignmentRules.preview.run')}
        </Button>
      </Form>
      {result && (
        <Alert
          style={{ marginTop: 12 }}
          type={!result.owner_id ? 'warning' : focusRule && matched && matched.id !== focusRule.id ? 'info' : 'success'}
          showIcon
          data-testid="rule-preview-result"
          message={
            result.owner_id
              ? t('assignmentRules.preview.goesTo', { name: owner?.name ?? '…', rule: matched?.name ?? '…' })
              : t('assignmentRules.preview.nobody')
          }
          description={
            <Flex vertical gap={2}>
              <span>{assignmentNoteText(result.note, t as unknown as Translate)}</span>
              {focusRule && matched && matched.id !== focusRule.id && (
                <span>{t('assignmentRules.preview.earlierRule', { rule: matched.name, name: focusRule.name })}</span>
              )}
            </Flex>
          }
        />
      )}
    </Card>
  );
}
