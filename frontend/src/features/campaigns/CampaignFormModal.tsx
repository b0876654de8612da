import { App as AntApp, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';

import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { type Campaign, CAMPAIGN_STATUSES, type CampaignCreate, type CampaignStatus, useSaveCampaign } from './api';

interface Values {
  name: string;
  channel?: string;
  status: CampaignStatus;
  currency: string;
  budget?: string | null;
  actual_cost?: string | null;
  dates?: [Dayjs | null, Dayjs | null] | null;
}

const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD'];

function day(value: Dayjs | null | undefined): string | null {
  return value ? value.format('YYYY-MM-DD') : null;
}

/** Create a campaign, or edit its name, channel, money, dates and status. */
export function CampaignFormModal({
  campaign,
  onClose,
  onSaved,
}: {
  campaign?: Campaign;
  onClose: () => void;
  onSaved?: (campaign: Campaign) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSaveCampaign();
  const initialValues: Values = campaign
    ? {
        name: campaign.name,
        channel: campaign.channel ?? '',
        status: campaign.status as CampaignStatus,
        currency: campaign.currency,
        budget: campaign.budget,
        actual_cost: campaign.actual_cost,
        dates: [campaign.start_date ? dayjs(campaign.start_date) : null, campaign.end_date ? dayjs(campaign.end_date) : null],
      }
    : { name: '', status: 'planned', currency: 'CNY' };

  const onFinish = (values: Values) => {
    const body: CampaignCreate = {
      name: values.name.trim(),
      channel: values.channel?.trim() || null,
      status: values.status,
      currency: values.currency,
      budget: values.budget || null,
      actual_cost: values.actual_cost || null,
      start_date: day(values.dates?.[0]),
      end_date: day(values.dates?.[1]),
    };
    save.mutate(
      { campaign, body },
      {
        onSuccess: (saved) => {
          void message.success(t('campaigns.saved'));
          onSaved?.(saved);
          onClose();
        },
        onError: (error) => {
          if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
        },
      },
    );
  };

  return (
    <Modal
      open
      title={campaign ? t('campaigns.editTitle', { name: campaign.name }) : t('campaigns.createTitle')}
      okText={campaign ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'campaign-form-submit' }}
      destroyOnHidden
      width={620}
    >
      <Form<Values> form={form} layout="vertical" initialValues={initialValues} onFinish={onFinish} data-testid="campaign-form">
        <Row gutter={16}>
          <Col xs={24} sm={16}>
            <Form.Item
              name="name"
              label={t('campaigns.fields.name')}
              rules={[{ required: true, whitespace: true, message: t('campaigns.nameRequired') }]}
            >
              <Input maxLength={150} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="status" label={t('campaigns.fields.status')}>
              <Select options={CAMPAIGN_STATUSES.map((s) => ({ value: s, label: t(`campaigns.statuses.${s}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="channel" label={t('campaigns.fields.channel')}>
              <Input maxLength={60} placeholder={t('campaigns.channelPlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="dates" label={t('campaigns.fields.dates')}>
              <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={6}>
            <Form.Item name="currency" label={t('campaigns.fields.currency')}>
              <Select options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={9}>
            <Form.Item name="budget" label={t('campaigns.fields.budget')}>
              <InputNumber<string> stringMode min="0" precision={2} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={9}>
            <Form.Item name="actual_cost" label={t('campaigns.fields.actual_cost')}>
              <InputNumber<string> stringMode min="0" precision={2} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
