import { SendOutlined } from '@ant-design/icons';
import { App as AntApp, Button, DatePicker, Empty, Flex, Form, Input, Segmented, Space, Spin, Timeline, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';

import type { ActivityKind } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime, fromNow } from '../../lib/dates';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { ACTIVITY_COLORS, ACTIVITY_ICONS, COMPOSER_KINDS } from '../customers/activityKinds';
import { useUserDirectory } from '../users';
import { useLeadActivities, useLogLeadActivity } from './api';

interface ComposerValues {
  kind: ActivityKind;
  content: string;
  occurred_at?: Dayjs | null;
}

/** Log a call, WeChat chat, meeting... on a lead; the first one marks a new lead contacted. */
export function LeadFollowUpComposer({ leadId }: { leadId: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ComposerValues>();
  const log = useLogLeadActivity(leadId);
  return (
    <Form<ComposerValues>
      form={form}
      layout="vertical"
      initialValues={{ kind: 'call', content: '' }}
      onFinish={(values) =>
        log.mutate(
          {
            kind: values.kind,
            content: values.content.trim(),
            occurred_at: values.occurred_at ? values.occurred_at.toISOString() : null,
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
      data-testid="lead-follow-up-form"
    >
      <Form.Item name="kind" style={{ marginBottom: 12 }}>
        <Segmented
          options={COMPOSER_KINDS.filter((k) => k !== 'visit').map((k) => ({
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
          data-testid="lead-follow-up-content"
        />
      </Form.Item>
      <Flex gap={8} wrap align="flex-end">
        <Form.Item name="occurred_at" label={t('followUp.occurredAt')} style={{ marginBottom: 0 }}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" placeholder={t('followUp.now')} />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          icon={<SendOutlined />}
          loading={log.isPending}
          style={{ marginLeft: 'auto' }}
          data-testid="lead-follow-up-submit"
        >
          {t('followUp.submit')}
        </Button>
      </Flex>
    </Form>
  );
}

/** The lead's follow-ups, newest first (after conversion they also show on the customer). */
export function LeadFollowUpList({ leadId }: { leadId: string }) {
  const { t } = useTranslation();
  const users = useUserDirectory();
  const activities = useLeadActivities(leadId);
  if (activities.isPending) return <Spin style={{ display: 'block', margin: '24px auto' }} />;
  if (activities.isError) return <ProblemAlert error={activities.error} onRetry={() => void activities.refetch()} />;
  if (activities.data.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('leads.noFollowUps')} />;
  }
  return (
    <Timeline
      style={{ marginTop: 8 }}
      data-testid="lead-follow-ups"
      items={activities.data.map((a) => ({
        key: a.id,
        color: ACTIVITY_COLORS[a.kind],
        dot: ACTIVITY_ICONS[a.kind],
        children: (
          <Flex vertical gap={2} data-testid="lead-follow-up">
            <Typography.Text>
              <Typography.Text strong>{(a.author_id && users.byId.get(a.author_id)?.name) || '—'}</Typography.Text>{' '}
              {t('timeline.logged', { kind: t(`activityKinds.${a.kind}`) })}
              <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }} title={formatDateTime(a.occurred_at) ?? ''}>
                {fromNow(a.occurred_at)}
              </Typography.Text>
            </Typography.Text>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{a.content}</Typography.Paragraph>
          </Flex>
        ),
      }))}
    />
  );
}
