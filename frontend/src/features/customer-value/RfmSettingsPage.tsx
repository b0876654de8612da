/**
 * RFM 设置: purchase sources, window, the thresholds of R, F and M, their weights, the tiers
 * and the churn rules. A live preview scores a sample customer under the values being edited
 * (the server scores it, so what the preview shows is what a recompute will write).
 */
import { DeleteOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Statistic,
  Tag,
  Typography,
  message,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { isApiProblem } from '../../api/problem';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useDebounced } from '../../lib/useDebounced';
import { formatDateTime } from '../../lib/dates';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useSession } from '../auth';
import { formatMoney } from '../contracts/money';
import { type RfmSample, type RfmSettingsIn, useRecompute, useRfmPreview, useRfmRun, useRfmSettings, useSaveRfmSettings } from './api';
import { RunStatus } from './RunStatus';
import { editable, formPath, knownMessage, scoreRange, type SettingsValues, toBody } from './settings';
import { tierColor } from './options';

const CURRENCIES = ['CNY', 'USD', 'EUR', 'GBP', 'HKD', 'JPY'];
const R_SCORES = [5, 4, 3, 2];
const UP_SCORES = [2, 3, 4, 5];

function ProblemList({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!isApiProblem(error)) return <ProblemAlert error={error} />;
  return (
    <Alert
      type="warning"
      showIcon
      message={problemMessage(error)}
      description={
        <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="rfm-preview-errors">
          {error.errors.map((e) => {
            const known = knownMessage(e.message);
            const path = formPath(e.field)?.join('.') ?? e.field;
            return <li key={`${e.field}-${e.message}`}>{`${path}: ${known ? t(`customerValue.settings.errors.${known.key}`, { ...known.values }) : e.message}`}</li>;
          })}
        </ul>
      }
    />
  );
}

function Preview({ settings }: { settings: RfmSettingsIn | null }) {
  const { t, i18n } = useTranslation();
  const [sample, setSample] = useState<RfmSample>({ recency_days: 30, purchases: 4, amount: '20000' });
  const preview = useRfmPreview(settings, sample);
  const data = preview.data;
  const tiers = settings?.tiers ?? [];
  return (
    <Card size="small" title={t('customerValue.preview.title')} data-testid="rfm-preview">
      <Typography.Paragraph type="secondary">{t('customerValue.preview.hint')}</Typography.Paragraph>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <div>
          <Typography.Text type="secondary">{t('customerValue.preview.recency')}</Typography.Text>
          <InputNumber
            min={0}
            value={sample.recency_days}
            onChange={(v) => setSample({ ...sample, recency_days: v ?? 0 })}
            style={{ width: '100%' }}
            aria-label={t('customerValue.preview.recency')}
            data-testid="sample-recency"
          />
        </div>
        <div>
          <Typography.Text type="secondary">{t('customerValue.preview.purchases')}</Typography.Text>
          <InputNumber
            min={0}
            value={sample.purchases}
            onChange={(v) => setSample({ ...sample, purchases: v ?? 0 })}
            style={{ width: '100%' }}
            aria-label={t('customerValue.preview.purchases')}
            data-testid="sample-purchases"
          />
        </div>
        <div>
          <Typography.Text type="secondary">{t('customerValue.preview.amount')}</Typography.Text>
          <InputNumber<string>
            min="0"
            stringMode
            value={String(sample.amount)}
            onChange={(v) => setSample({ ...sample, amount: v ?? '0' })}
            style={{ width: '100%' }}
            aria-label={t('customerValue.preview.amount')}
            data-testid="sample-amount"
          />
        </div>
      </Flex>
      {!settings && <Typography.Text type="secondary">{t('customerValue.preview.incomplete')}</Typography.Text>}
      {preview.isError && <ProblemList error={preview.error} />}
      {settings && data && !preview.isError && (
        <Flex vertical gap={12}>
          <Flex gap={24} wrap>
            <Statistic title="R" value={data.r} suffix={`× ${settings.weights.r} = ${data.weighted.r}`} />
            <Statistic title="F" value={data.f} suffix={`× ${settings.weights.f} = ${data.weighted.f}`} />
            <Statistic title="M" value={data.m} suffix={`× ${settings.weights.m} = ${data.weighted.m}`} />
          </Flex>
          <Flex align="center" gap={12}>
            <Statistic
              title={t('customerValue.score')}
              value={data.score}
              suffix={`/ ${data.score_max}`}
              valueStyle={{ color: tierColor(data.tier.key, tiers) }}
            />
            <Tag color={tierColor(data.tier.key, tiers)} data-testid="preview-tier">
              {i18n.language === 'en' ? data.tier.name_en : data.tier.name_zh}
            </Tag>
          </Flex>
          <Typography.Text type="secondary" data-testid="preview-formula">
            {`${data.r}·${settings.weights.r} + ${data.f}·${settings.weights.f} + ${data.m}·${settings.weights.m} = ${data.score}`}
          </Typography.Text>
        </Flex>
      )}
    </Card>
  );
}

function Thresholds({ disabled }: { disabled: boolean }) {
  const { t } = useTranslation();
  const rows = [
    { name: 'recency_max_days', scores: R_SCORES, op: '≤', unit: t('customerValue.settings.days'), label: t('customerValue.settings.recency') },
    { name: 'frequency_min', scores: UP_SCORES, op: '≥', unit: t('customerValue.settings.times'), label: t('customerValue.settings.frequency') },
    { name: 'monetary_min', scores: UP_SCORES, op: '≥', unit: '', label: t('customerValue.settings.monetary') },
  ] as const;
  return (
    <Flex vertical gap={4}>
      {rows.map((row) => (
        <Form.Item key={row.name} label={row.label} tooltip={t(`customerValue.settings.help.${row.name}`)} style={{ marginBottom: 8 }}>
          <Flex gap={8} wrap>
            {row.scores.map((score, index) => (
              <Form.Item
                key={score}
                name={[row.name, index]}
                noStyle
                rules={[{ required: true, message: t('errors.field.required') }]}
              >
                <InputNumber
                  min={row.name === 'monetary_min' ? '0.01' : 0}
                  stringMode={row.name === 'monetary_min'}
                  disabled={disabled}
                  prefix={`${row.name[0].toUpperCase()}${score} ${row.op}`}
                  suffix={row.unit || undefined}
                  style={{ width: row.name === 'monetary_min' ? 190 : 160 }}
                  data-testid={`${row.name}-${index}`}
                />
              </Form.Item>
            ))}
          </Flex>
        </Form.Item>
      ))}
    </Flex>
  );
}

function Tiers({ disabled }: { disabled: boolean }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<SettingsValues>();
  const weights = Form.useWatch('weights', form);
  const [low, high] = scoreRange(weights);
  return (
    <Form.List name="tiers">
      {(fields, { add, remove }) => (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('customerValue.settings.tierHint', { low, high })}</Typography.Text>
          {fields.map((field) => (
            <Flex key={field.key} gap={8} wrap align="flex-start" data-testid="tier-row">
              <Form.Item name={[field.name, 'key']} rules={[{ required: true, message: t('errors.field.required') }]} style={{ marginBottom: 0 }}>
                <Input placeholder={t('customerValue.settings.tierKey')} style={{ width: 110 }} disabled={disabled} />
              </Form.Item>
              <Form.Item name={[field.name, 'name_zh']} rules={[{ required: true, message: t('errors.field.required') }]} style={{ marginBottom: 0 }}>
                <Input placeholder={t('customerValue.settings.nameZh')} style={{ width: 120 }} disabled={disabled} />
              </Form.Item>
              <Form.Item name={[field.name, 'name_en']} rules={[{ required: true, message: t('errors.field.required') }]} style={{ marginBottom: 0 }}>
                <Input placeholder={t('customerValue.settings.nameEn')} style={{ width: 120 }} disabled={disabled} />
              </Form.Item>
              <Form.Item name={[field.name, 'min_score']} rules={[{ required: true, message: t('errors.field.required') }]} style={{ marginBottom: 0 }}>
                <InputNumber min={0} prefix={t('customerValue.settings.from')} style={{ width: 130 }} disabled={disabled} />
              </Form.Item>
              <Form.Item name={[field.name, 'max_score']} rules={[{ required: true, message: t('errors.field.required') }]} style={{ marginBottom: 0 }}>
                <InputNumber min={0} prefix={t('customerValue.settings.to')} style={{ width: 130 }} disabled={disabled} />
              </Form.Item>
              {!disabled && (
                <Button
                  icon={<DeleteOutlined />}
                  aria-label={t('common.delete')}
                  disabled={fields.length <= 1}
                  onClick={() => remove(field.name)}
                />
              )}
            </Flex>
          ))}
          {!disabled && fields.length < 10 && (
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ key: '', name_zh: '', name_en: '', min_score: low, max_score: low })}>
              {t('customerValue.settings.addTier')}
            </Button>
          )}
        </Flex>
      )}
    </Form.List>
  );
}

export default function RfmSettingsPage() {
  const { t } = useTranslation();
  const me = useSession();
  const admin = me.user.role === 'owner' || me.user.role === 'admin';
  const settings = useRfmSettings();
  const save = useSaveRfmSettings();
  const recompute = useRecompute();
  const [form] = Form.useForm<SettingsValues>();
  const values = Form.useWatch([], form) as Partial<SettingsValues> | undefined;
  const debounced = useDebounced(values, 400);
  const body = useMemo(() => toBody(debounced), [debounced]);
  const [runId, setRunId] = useState<string | null>(null);
  const run = useRfmRun(runId ?? settings.data?.last_run?.id);
  const [toast, toastHolder] = message.useMessage();
  const [saveError, setSaveError] = useState<unknown>(null);

  useEffect(() => {
    if (settings.data && !form.isFieldsTouched()) form.setFieldsValue(editable(settings.data));
  }, [settings.data, form]);

  if (settings.isError) return <ProblemAlert error={settings.error} onRetry={() => void settings.refetch()} />;

  const onSave = async (raw: SettingsValues) => {
    const payload = toBody(raw);
    if (!payload) return;
    setSaveError(null);
    try {
      const saved = await save.mutateAsync(payload);
      form.setFieldsValue(editable(saved));
      if (saved.last_run) setRunId(saved.last_run.id);
      toast.success(t('customerValue.settings.saved'));
    } catch (error) {
      applyProblemToForm(form, error);
      setSaveError(error);
    }
  };

  const lastRun = run.data ?? settings.data?.last_run ?? null;
  return (
    <>
      {toastHolder}
      <PageHeader
        title={t('customerValue.settings.title')}
        description={t('customerValue.settings.description')}
        extra={
          admin && (
            <Button
              icon={<ReloadOutlined />}
              loading={recompute.isPending}
              onClick={() => {
                recompute.mutate(undefined, {
                  onSuccess: (queued) => setRunId(queued.id),
                  onError: (error) => {
                    void toast.error(problemMessage(error));
                  },
                });
              }}
              data-testid="rfm-recompute"
            >
              {t('customerValue.recompute')}
            </Button>
          )
        }
      />
      {!admin && <Alert type="info" showIcon message={t('customerValue.settings.readOnly')} style={{ marginBottom: 16 }} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Form<SettingsValues> form={form} layout="vertical" onFinish={(raw) => void onSave(raw)} disabled={!admin || settings.isLoading} data-testid="rfm-settings-form">
            <Card size="small" title={t('customerValue.settings.purchases')} style={{ marginBottom: 16 }}>
              <Flex gap={16} wrap>
                <Form.Item name="sources" label={t('customerValue.settings.sources')} tooltip={t('customerValue.settings.help.sources')}>
                  <Checkbox.Group
                    options={[
                      { value: 'orders', label: t('customerValue.sources.orders') },
                      { value: 'payments', label: t('customerValue.sources.payments') },
                    ]}
                  />
                </Form.Item>
                <Form.Item name="window_days" label={t('customerValue.settings.window')} tooltip={t('customerValue.settings.help.window')}>
                  <InputNumber min={7} max={3650} suffix={t('customerValue.settings.days')} style={{ width: 160 }} />
                </Form.Item>
                <Form.Item name="currency" label={t('customerValue.settings.currency')} tooltip={t('customerValue.settings.help.currency')}>
                  <Select options={CURRENCIES.map((c) => ({ value: c, label: c }))} style={{ width: 100 }} />
                </Form.Item>
              </Flex>
            </Card>
            <Card size="small" title={t('customerValue.settings.thresholds')} style={{ marginBottom: 16 }}>
              <Thresholds disabled={!admin} />
            </Card>
            <Card size="small" title={t('customerValue.settings.weights')} style={{ marginBottom: 16 }}>
              <Space wrap>
                {(['r', 'f', 'm'] as const).map((k) => (
                  <Form.Item key={k} name={['weights', k]} label={k.toUpperCase()} style={{ marginBottom: 0 }}>
                    <InputNumber min={1} max={100} prefix="×" style={{ width: 110 }} data-testid={`weight-${k}`} />
                  </Form.Item>
                ))}
              </Space>
            </Card>
            <Card size="small" title={t('customerValue.settings.tiers')} style={{ marginBottom: 16 }}>
              <Tiers disabled={!admin} />
            </Card>
            <Card size="small" title={t('customerValue.settings.churn')} style={{ marginBottom: 16 }}>
              <Flex gap={16} wrap>
                <Form.Item name="churn_gap_factor" label={t('customerValue.settings.gapFactor')} tooltip={t('customerValue.settings.help.gapFactor')}>
                  <InputNumber<string> min="1" max="20" step="0.5" stringMode suffix="×" style={{ width: 130 }} />
                </Form.Item>
                <Form.Item name="churn_no_follow_up_days" label={t('customerValue.settings.noFollowUp')}>
                  <InputNumber min={1} max={3650} suffix={t('customerValue.settings.days')} style={{ width: 160 }} />
                </Form.Item>
              </Flex>
            </Card>
            {saveError !== null && <ProblemList error={saveError} />}
            {admin && (
              <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="rfm-save" style={{ marginTop: 12 }}>
                {t('common.save')}
              </Button>
            )}
          </Form>
        </Col>
        <Col xs={24} xl={9}>
          <Flex vertical gap={16}>
            <Preview settings={body} />
            <Card size="small" title={t('customerValue.lastRun')}>
              {lastRun ? (
                <Descriptions
                  column={1}
                  size="small"
                  items={[
                    { key: 'status', label: t('customerValue.runs.status'), children: <RunStatus run={lastRun} /> },
                    { key: 'finished', label: t('customerValue.computedAt'), children: lastRun.finished_at ? formatDateTime(lastRun.finished_at) : '—' },
                    { key: 'customers', label: t('customerValue.runs.customers'), children: lastRun.customers ?? '—' },
                    { key: 'changes', label: t('customerValue.runs.tierChanges'), children: lastRun.tier_changes ?? '—' },
                  ]}
                />
              ) : (
                <Typography.Text type="secondary">{t('customerValue.neverRun')}</Typography.Text>
              )}
              {settings.data && (
                <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                  {t('customerValue.settings.example', { amount: formatMoney('20000', settings.data.currency) })}
                </Typography.Paragraph>
              )}
            </Card>
          </Flex>
        </Col>
      </Row>
    </>
  );
}
