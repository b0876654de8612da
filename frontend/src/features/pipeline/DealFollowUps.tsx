import { PlusOutlined, SendOutlined } from '@ant-design/icons';
import {
  App as AntApp,
  Avatar,
  Button,
  DatePicker,
  Divider,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Segmented,
  Space,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import type { Activity, ActivityKind, Opportunity, Task } from '../../api/types';
import { LoadMore } from '../../components/LoadMore';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime, fromNow } from '../../lib/dates';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { ACTIVITY_COLORS, ACTIVITY_ICONS, COMPOSER_KINDS } from '../customers/activityKinds';
import { TaskRow } from '../customers/TasksPanel';
import { useCreateTask, useTasks } from '../tasks/api';
import { useUserDirectory } from '../users';
import { useCreateDealActivity, useDealActivities } from './api';

const DATE_TIME = 'YYYY-MM-DD HH:mm';

interface ComposerValues {
  kind: ActivityKind;
  content: string;
  next_follow_up_at?: Dayjs | null;
}

/** Log a follow-up about this deal (it also lands on the customer's timeline). */
function DealComposer({ deal }: { deal: Opportunity }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ComposerValues>();
  const create = useCreateDealActivity();
  const presets = [
    { label: t('followUp.presets.tomorrow'), value: dayjs().add(1, 'day').hour(9).minute(0).second(0) },
    { label: t('followUp.presets.in3days'), value: dayjs().add(3, 'day').hour(9).minute(0).second(0) },
    { label: t('followUp.presets.nextWeek'), value: dayjs().add(7, 'day').hour(9).minute(0).second(0) },
  ];
  return (
    <Form<ComposerValues>
      form={form}
      layout="vertical"
      initialValues={{ kind: 'call', content: '' }}
      onFinish={(values) =>
        create.mutate(
          {
            customer_id: deal.customer_id,
            opportunity_id: deal.id,
            contact_id: deal.contact_id,
            kind: values.kind,
            content: values.content.trim(),
            next_follow_up_at: values.next_follow_up_at ? values.next_follow_up_at.toISOString() : null,
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
      data-testid="deal-follow-up-form"
    >
      <Form.Item name="kind" style={{ marginBottom: 8 }}>
        <Segmented
          size="small"
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
      <Form.Item name="content" rules={[{ required: true, whitespace: true, message: t('followUp.contentRequired') }]} style={{ marginBottom: 8 }}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={10_000} placeholder={t('deals.followUps.placeholder')} data-testid="deal-follow-up-content" />
      </Form.Item>
      <Flex gap={8} align="center" wrap>
        <Form.Item name="next_follow_up_at" style={{ marginBottom: 0 }}>
          <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME} presets={presets} placeholder={t('followUp.next')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={create.isPending} style={{ marginLeft: 'auto' }} data-testid="deal-follow-up-submit">
          {t('followUp.submit')}
        </Button>
      </Flex>
    </Form>
  );
}

function ActivityItem({ activity }: { activity: Activity }) {
  const { t } = useTranslation();
  const users = useUserDirectory();
  const author = activity.author_id ? users.byId.get(activity.author_id)?.name : undefined;
  return (
    <List.Item data-testid="deal-activity">
      <List.Item.Meta
        avatar={<Avatar size="small" icon={ACTIVITY_ICONS[activity.kind]} style={{ background: ACTIVITY_COLORS[activity.kind] }} />}
        title={
          <Space size={8} wrap>
            <Typography.Text>{t(`activityKinds.${activity.kind}`)}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} title={formatDateTime(activity.occurred_at) ?? ''}>
              {author ? `${author} · ` : ''}
              {fromNow(activity.occurred_at)}
            </Typography.Text>
          </Space>
        }
        description={<Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{activity.content}</Typography.Paragraph>}
      />
    </List.Item>
  );
}

/** The deal's tasks: open ones first, with a one-line form to plan another. */
function DealTasks({ deal, writable }: { deal: Opportunity; writable: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const tasks = useTasks({ opportunity_id: deal.id, sort: 'due_at' });
  const create = useCreateTask();
  const [form] = Form.useForm<{ title: string; due_at?: Dayjs | null }>();
  const sorted = useMemo(
    () => [...(tasks.data ?? [])].sort((a: Task, b: Task) => Number(a.done_at !== null) - Number(b.done_at !== null)),
    [tasks.data],
  );
  return (
    <>
      {writable && (
        <Form
          form={form}
          layout="inline"
          style={{ rowGap: 8, marginBottom: 8 }}
          onFinish={(values) =>
            create.mutate(
              {
                title: values.title.trim(),
                opportunity_id: deal.id,
                customer_id: deal.customer_id,
                due_at: values.due_at ? values.due_at.toISOString() : null,
              },
              {
                onSuccess: () => {
                  void message.success(t('tasks.created'));
                  form.resetFields();
                },
                onError: (error) => {
                  if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
                },
              },
            )
          }
        >
          <Form.Item name="title" rules={[{ required: true, whitespace: true, message: t('tasks.titleRequired') }]} style={{ flex: 1, minWidth: 200 }}>
            <Input placeholder={t('tasks.newPlaceholder')} maxLength={300} data-testid="deal-task-title" />
          </Form.Item>
          <Form.Item name="due_at">
            <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME} placeholder={t('tasks.due')} />
          </Form.Item>
          <Button htmlType="submit" icon={<PlusOutlined />} loading={create.isPending}>
            {t('common.add')}
          </Button>
        </Form>
      )}
      {tasks.isError && <ProblemAlert error={tasks.error} onRetry={() => void tasks.refetch()} />}
      <List<Task>
        loading={tasks.isPending}
        dataSource={sorted}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tasks.empty')} /> }}
        renderItem={(task) => <TaskRow task={task} />}
      />
    </>
  );
}

/** Follow-ups and tasks about this deal. */
export function DealFollowUps({ deal, writable }: { deal: Opportunity; writable: boolean }) {
  const { t } = useTranslation();
  const activities = useDealActivities(deal.id);
  const rows = activities.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Flex vertical gap={8}>
      {writable && <DealComposer deal={deal} />}
      {activities.isError && <ProblemAlert error={activities.error} onRetry={() => void activities.refetch()} />}
      <List<Activity>
        loading={activities.isPending}
        dataSource={rows}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('deals.followUps.empty')} /> }}
        renderItem={(activity) => <ActivityItem activity={activity} />}
      />
      <LoadMore
        hasMore={activities.hasNextPage}
        loading={activities.isFetchingNextPage}
        onLoadMore={() => void activities.fetchNextPage()}
        shown={rows.length}
      />
      <Divider orientation="left" orientationMargin={0} style={{ margin: '8px 0' }}>
        {t('deals.followUps.tasks')}
      </Divider>
      <DealTasks deal={deal} writable={writable} />
    </Flex>
  );
}
