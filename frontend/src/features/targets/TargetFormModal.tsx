import { App as AntApp, Col, DatePicker, Form, InputNumber, Modal, Radio, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';

import { dayOf, kindOf, periodLabel, type PeriodKind } from '../../components/analytics';
import { TeamSelect } from '../../components/TeamSelect';
import { UserSelect } from '../../components/UserSelect';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { MONEY_METRICS, type SubjectKind, type Target, TARGET_METRICS, type TargetCreate, type TargetMetric, useSaveTarget } from './api';

type TargetPeriodKind = 'month' | 'quarter' | 'year';
const PERIOD_KINDS: readonly TargetPeriodKind[] = ['month', 'quarter', 'year'];

function targetKind(kind: PeriodKind): TargetPeriodKind {
  return kind === 'quarter' || kind === 'year' ? kind : 'month';
}
const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD'];

interface Values {
  subject_kind: SubjectKind;
  subject_id?: string | null;
  period_kind: TargetPeriodKind;
  /** A day inside the period (the picker's value). */
  period: Dayjs;
  metric: TargetMetric;
  target_value?: string | null;
  currency?: string;
}

/** Set a target (person, team or — admins — the whole workspace), or change its value. */
export function TargetFormModal({
  target,
  period,
  allowWorkspace,
  onClose,
}: {
  target?: Target;
  /** The period the page shows: a new target starts there. */
  period: string;
  allowWorkspace: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSaveTarget();
  const subjectKind = Form.useWatch('subject_kind', form);
  const periodKind = Form.useWatch('period_kind', form);
  const metric = Form.useWatch('metric', form);
  const startPeriod = target?.period ?? (kindOf(period) === targetKind(kindOf(period)) ? period : periodLabel('month', dayOf(period)));
  const initialValues: Values = {
    subject_kind: target?.subject_kind ?? 'user',
    subject_id: target && target.subject_kind !== 'workspace' ? target.subject_id : null,
    period_kind: targetKind(kindOf(startPeriod)),
    period: dayOf(startPeriod),
    metric: target?.metric ?? 'won_amount',
    target_value: target?.target_value ?? null,
    currency: target?.currency ?? 'CNY',
  };
  const money = MONEY_METRICS.has(metric ?? initialValues.metric);

  const onFinish = (values: Values) => {
    const isMoney = MONEY_METRICS.has(values.metric);
    const value = String(values.target_value ?? '');
    const body = target
      ? { target_value: value, ...(isMoney ? { currency: values.currency } : {}) }
      : ({
          subject_kind: values.subject_kind,
          ...(values.subject_kind === 'workspace' ? {} : { subject_id: values.subject_id ?? null }),
          period: periodLabel(values.period_kind, values.period),
          metric: values.metric,
          target_value: value,
          ...(isMoney ? { currency: values.currency } : {}),
        } satisfies TargetCreate);
    save.mutate(
      { target, body },
      {
        onSuccess: () => {
          void message.success(t('targets.saved'));
          onClose();
        },
        onError: (error) => {
          if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
        },
      },
    );
  };

  const locked = Boolean(target);
  return (
    <Modal
      open
      title={target ? t('targets.editTitle', { name: target.subject_name }) : t('targets.createTitle')}
      okText={target ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'target-form-submit' }}
      destroyOnHidden
      width={560}
    >
      <Form<Values> form={form} layout="vertical" initialValues={initialValues} onFinish={onFinish} data-testid="target-form">
        <Form.Item name="subject_kind" label={t('targets.fields.subject')}>
          <Radio.Group
            disabled={locked}
            optionType="button"
            onChange={() => form.setFieldValue('subject_id', null)}
            options={(['user', 'team', ...(allowWorkspace ? ['workspace'] : [])] as SubjectKind[]).map((k) => ({
              value: k,
              label: t(`targets.subjectKinds.${k}`),
            }))}
          />
        </Form.Item>
        {(subjectKind ?? initialValues.subject_kind) !== 'workspace' && (
          <Form.Item
            name="subject_id"
            label={t((subjectKind ?? initialValues.subject_kind) === 'team' ? 'targets.fields.team' : 'targets.fields.user')}
            rules={[{ required: true, message: t('targets.subjectRequired') }]}
          >
            {(subjectKind ?? initialValues.subject_kind) === 'team' ? (
              <TeamSelect placeholder={t('targets.pickTeam')} />
            ) : (
              <UserSelect placeholder={t('targets.pickUser')} data-testid="target-user" />
            )}
          </Form.Item>
        )}
        <Row gutter={12}>
          <Col xs={24} sm={10}>
            <Form.Item name="period_kind" label={t('targets.fields.periodKind')}>
              <Select
                disabled={locked}
                options={PERIOD_KINDS.map((k) => ({ value: k, label: t(`analyticsFilters.kinds.${k}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={14}>
            <Form.Item name="period" label={t('targets.fields.period')}>
              <DatePicker
                disabled={locked}
                allowClear={false}
                picker={periodKind ?? initialValues.period_kind}
                format={(d) => periodLabel(periodKind ?? initialValues.period_kind, d)}
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="metric" label={t('targets.fields.metric')}>
          <Select disabled={locked} options={TARGET_METRICS.map((m) => ({ value: m, label: t(`targets.metrics.${m}`) }))} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={money ? 16 : 24}>
            <Form.Item
              name="target_value"
              label={t('targets.fields.value')}
              rules={[{ required: true, message: t('targets.valueRequired') }]}
              extra={money ? undefined : t('targets.countHint')}
            >
              <InputNumber<string>
                stringMode
                min="0"
                precision={money ? 2 : 0}
                style={{ width: '100%' }}
                data-testid="target-value"
              />
            </Form.Item>
          </Col>
          {money && (
            <Col xs={8}>
              <Form.Item name="currency" label={t('targets.fields.currency')}>
                <Select options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
              </Form.Item>
            </Col>
          )}
        </Row>
      </Form>
    </Modal>
  );
}
