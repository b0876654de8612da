import { AimOutlined, SendOutlined } from '@ant-design/icons';
import { App as AntApp, Button, DatePicker, Flex, Form, Input, Segmented, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ActivityKind } from '../../api/types';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { ACTIVITY_ICONS, COMPOSER_KINDS } from './activityKinds';
import { useContacts, useCreateActivity } from './api';

interface ComposerValues {
  kind: ActivityKind;
  content: string;
  occurred_at?: Dayjs | null;
  next_follow_up_at?: Dayjs | null;
  contact_id?: string | null;
  check_in_address?: string;
  latitude?: number | null;
  longitude?: number | null;
}

const DATE_TIME = 'YYYY-MM-DD HH:mm';

/** Log a call, visit, meeting...; a next date plans a follow-up task for the owner. */
export function FollowUpComposer({ customerId, disabled }: { customerId: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ComposerValues>();
  const create = useCreateActivity();
  const contacts = useContacts(customerId);
  const kind = Form.useWatch('kind', form);
  const [locating, setLocating] = useState(false);

  const checkIn = () => {
    if (!('geolocation' in navigator)) {
      void message.warning(t('followUp.noGeolocation'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        form.setFieldsValue({
          latitude: Number(position.coords.latitude.toFixed(6)),
          longitude: Number(position.coords.longitude.toFixed(6)),
        });
        void message.success(t('followUp.checkedIn'));
      },
      () => {
        setLocating(false);
        void message.warning(t('followUp.noGeolocation'));
      },
      { timeout: 10_000 },
    );
  };

  const nextPresets = [
    { label: t('followUp.presets.tomorrow'), value: dayjs().add(1, 'day').hour(9).minute(0).second(0) },
    { label: t('followUp.presets.in3days'), value: dayjs().add(3, 'day').hour(9).minute(0).second(0) },
    { label: t('followUp.presets.nextWeek'), value: dayjs().add(7, 'day').hour(9).minute(0).second(0) },
  ];

  const latitude = Form.useWatch('latitude', form);
  const longitude = Form.useWatch('longitude', form);

  return (
    <Form<ComposerValues>
      form={form}
      layout="vertical"
      initialValues={{ kind: 'call', content: '' }}
      disabled={disabled}
      onFinish={(values) =>
        create.mutate(
          {
            customer_id: customerId,
            kind: values.kind,
            content: values.content.trim(),
            occurred_at: values.occurred_at ? values.occurred_at.toISOString() : null,
            next_follow_up_at: values.next_follow_up_at ? values.next_follow_up_at.toISOString() : null,
            contact_id: values.contact_id ?? null,
            ...(values.kind === 'visit'
              ? {
                  check_in_address: values.check_in_address?.trim() || null,
                  latitude: values.latitude ?? null,
                  longitude: values.longitude ?? null,
                }
              : {}),
          },
          {
            onSuccess: () => {
              void message.success(t('followUp.logged'));
              form.resetFields();
            },
            onError: (error) => {
              if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
            },
          },
        )
      }
      data-testid="follow-up-form"
    >
      <Form.Item name="kind" style={{ marginBottom: 12 }}>
        <Segmented
          options={COMPOSER_KINDS.map((k) => ({
            value: k,
            label: (
              <Space size={4}>
                {ACTIVITY_ICONS[k]}
                {t(`activityKinds.${k}`)}
              </Space>
            ),
          }))}
        />
      </Form.Item>
      <Form.Item
        name="content"
        rules={[{ required: true, whitespace: true, message: t('followUp.contentRequired') }]}
        style={{ marginBottom: 12 }}
      >
        <Input.TextArea
          autoSize={{ minRows: 2, maxRows: 8 }}
          maxLength={10_000}
          placeholder={t('followUp.placeholder')}
          data-testid="follow-up-content"
        />
      </Form.Item>
      {kind === 'visit' && (
        <Flex gap={8} align="flex-start" wrap style={{ marginBottom: 4 }}>
          <Form.Item name="check_in_address" style={{ flex: 1, minWidth: 240, marginBottom: 8 }}>
            <Input placeholder={t('followUp.address')} maxLength={300} />
          </Form.Item>
          <Button icon={<AimOutlined />} loading={locating} onClick={checkIn}>
            {t('followUp.checkIn')}
          </Button>
          <Form.Item name="latitude" hidden>
            <Input />
          </Form.Item>
          <Form.Item name="longitude" hidden>
            <Input />
          </Form.Item>
          {latitude != null && longitude != null && (
            <Typography.Text type="secondary" style={{ lineHeight: '32px' }}>
              {latitude}, {longitude}
            </Typography.Text>
          )}
        </Flex>
      )}
      <Flex gap={8} wrap align="flex-end">
        <Form.Item name="contact_id" label={t('followUp.contact')} style={{ marginBottom: 0, width: 150 }}>
          <Select
            allowClear
            placeholder={t('common.none')}
            options={(contacts.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item name="occurred_at" label={t('followUp.occurredAt')} style={{ marginBottom: 0 }}>
          <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME} placeholder={t('followUp.now')} />
        </Form.Item>
        <Form.Item name="next_follow_up_at" label={t('followUp.next')} style={{ marginBottom: 0 }}>
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format={DATE_TIME}
            presets={nextPresets}
            placeholder={t('followUp.nextPlaceholder')}
            data-testid="follow-up-next"
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          icon={<SendOutlined />}
          loading={create.isPending}
          style={{ marginLeft: 'auto' }}
          data-testid="follow-up-submit"
        >
          {t('followUp.submit')}
        </Button>
      </Flex>
    </Form>
  );
}
