import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Col, Flex, Form, Input, InputNumber, Row, Space, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import { FullPageSpin } from '../../components/FullPageSpin';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useSession } from '../auth';
import { useTicketSettings, useUpdateTicketSettings } from './api';
import { BUILTIN_TYPES, sampleNumber, settingsPatch, settingsToForm, type TicketSettingsFormValues, typeLabels } from './settings';

const ADMINS = new Set(['owner', 'admin']);

function TypeLabels({ index }: { index: number }) {
  const { t } = useTranslation();
  const name = (Form.useWatch(['types', index, 'name']) as string | undefined)?.trim() ?? '';
  if (!name) return null;
  const labels = typeLabels(name);
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12, lineHeight: '32px', whiteSpace: 'nowrap' }}>
      {labels.builtin ? t('tickets.ticketSettings.labels', { zh: labels.zh, en: labels.en }) : t('tickets.ticketSettings.customType')}
    </Typography.Text>
  );
}

/** 工单设置: numbering, the type list, reopen window, survey validity, auto-close (owners and admins). */
export default function TicketSettingsPage() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useSession();
  const settings = useTicketSettings();
  const update = useUpdateTicketSettings();
  const [form] = Form.useForm<TicketSettingsFormValues>();
  const editable = ADMINS.has(me.user.role);
  const prefix = (Form.useWatch('number_prefix', form) as string | undefined) ?? settings.data?.number_prefix ?? '';
  const types = (Form.useWatch('types', form) as TicketSettingsFormValues['types'] | undefined) ?? [];
  const missing = BUILTIN_TYPES.filter((b) => !types.some((row) => row?.name?.trim() === b));

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settingsToForm(settings.data));
  }, [settings.data, form]);

  if (settings.isPending) return <FullPageSpin />;
  if (settings.isError) return <ProblemAlert error={settings.error} onRetry={() => void settings.refetch()} />;
  const saved = settings.data;

  const onFinish = (values: TicketSettingsFormValues) => {
    const body = settingsPatch(saved, values);
    if (Object.keys(body).length === 0) {
      void message.info(t('tickets.ticketSettings.unchanged'));
      return;
    }
    update.mutate(body, {
      onSuccess: () => void message.success(t('tickets.ticketSettings.saved')),
      onError: (error) => {
        if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
      },
    });
  };

  const days = t('tickets.ticketSettings.days');
  return (
    <>
      <PageHeader title={t('tickets.ticketSettings.title')} description={t('tickets.ticketSettings.description')} />
      {!editable && <Alert type="info" showIcon message={t('tickets.ticketSettings.readOnly')} style={{ marginBottom: 16 }} />}
      <Form<TicketSettingsFormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        disabled={!editable}
        initialValues={settingsToForm(saved)}
        style={{ maxWidth: 720 }}
        data-testid="ticket-settings-form"
      >
        <Card title={t('tickets.ticketSettings.numbering')} style={{ marginBottom: 16 }}>
          <Form.Item
            name="number_prefix"
            label={t('tickets.ticketSettings.prefix')}
            extra={t('tickets.ticketSettings.prefixHelp', { sample: sampleNumber(prefix) })}
            rules={[{ required: true, pattern: /^\s*[A-Za-z0-9]{1,10}\s*$/, message: t('tickets.ticketSettings.prefixInvalid') }]}
          >
            <Input maxLength={10} style={{ width: 160 }} autoComplete="off" data-testid="ticket-settings-prefix" />
          </Form.Item>
        </Card>
        <Card title={t('tickets.ticketSettings.types')} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">{t('tickets.ticketSettings.typesHelp')}</Typography.Paragraph>
          <Form.List
            name="types"
            rules={[
              {
                validator: (_, rows: TicketSettingsFormValues['types'] | undefined) =>
                  (rows ?? []).some((row) => row?.name?.trim())
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('tickets.ticketSettings.typesRequired'))),
              },
            ]}
          >
            {(items, { add, remove, move }, { errors }) => (
              <Flex vertical>
                {items.map((item, index) => (
                  <Flex key={item.key} gap={8} align="flex-start">
                    <Form.Item
                      name={[item.name, 'name']}
                      style={{ width: 220, marginBottom: 8 }}
                      rules={[{ max: 40, message: t('tickets.ticketSettings.typeTooLong') }]}
                    >
                      <Input placeholder={t('tickets.ticketSettings.typePlaceholder')} autoComplete="off" data-testid="ticket-settings-type" />
                    </Form.Item>
                    <div style={{ flex: 1, minWidth: 0 }}>
                      <TypeLabels index={item.name} />
                    </div>
                    {editable && (
                      <Space size={0}>
                        <Button type="text" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => move(index, index - 1)} aria-label={t('tickets.routing.moveUp')} />
                        <Button
                          type="text"
                          icon={<ArrowDownOutlined />}
                          disabled={index === items.length - 1}
                          onClick={() => move(index, index + 1)}
                          aria-label={t('tickets.routing.moveDown')}
                        />
                        <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(item.name)} aria-label={t('common.remove')} />
                      </Space>
                    )}
                  </Flex>
                ))}
                <Form.ErrorList errors={errors} />
                {editable && (
                  <Flex gap={8} wrap align="center" style={{ marginTop: 4 }}>
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '' })} data-testid="ticket-settings-add-type">
                      {t('tickets.ticketSettings.addType')}
                    </Button>
                    {missing.map((name) => (
                      <Tag key={name} style={{ cursor: 'pointer' }} onClick={() => add({ name })} icon={<PlusOutlined />}>
                        {typeLabels(name)[i18n.language === 'en' ? 'en' : 'zh']}
                      </Tag>
                    ))}
                  </Flex>
                )}
              </Flex>
            )}
          </Form.List>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
            {t('tickets.ticketSettings.typesRemoveHelp')}
          </Typography.Paragraph>
        </Card>
        <Card title={t('tickets.ticketSettings.windows')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} sm={8}>
              <Form.Item name="reopen_days" label={t('tickets.ticketSettings.reopenDays')} extra={t('tickets.ticketSettings.reopenHelp')} rules={[{ required: true, message: t('tickets.ticketSettings.numberRequired') }]}>
                <InputNumber min={0} max={365} precision={0} addonAfter={days} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={8}>
              <Form.Item name="csat_days" label={t('tickets.ticketSettings.csatDays')} extra={t('tickets.ticketSettings.csatHelp')} rules={[{ required: true, message: t('tickets.ticketSettings.numberRequired') }]}>
                <InputNumber min={1} max={90} precision={0} addonAfter={days} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={8}>
              <Form.Item
                name="auto_close_days"
                label={t('tickets.ticketSettings.autoCloseDays')}
                extra={t('tickets.ticketSettings.autoCloseHelp')}
                rules={[{ required: true, message: t('tickets.ticketSettings.numberRequired') }]}
              >
                <InputNumber min={0} max={365} precision={0} addonAfter={days} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        {editable && (
          <Space>
            <Button type="primary" htmlType="submit" loading={update.isPending} data-testid="ticket-settings-save">
              {t('common.save')}
            </Button>
            <Button onClick={() => form.setFieldsValue(settingsToForm(saved))}>{t('common.reset')}</Button>
          </Space>
        )}
      </Form>
    </>
  );
}
