import { PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Checkbox, DatePicker, Empty, Flex, Form, Input, List, Segmented, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Task } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { UserSelect } from '../../components/UserSelect';
import { formatDateTime } from '../../lib/dates';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useNow } from '../../lib/useNow';
import { useCreateTask, useSetTaskDone, useTasks } from '../tasks/api';
import { useUserDirectory } from '../users';

export function TaskRow({ task, extra }: { task: Task; extra?: React.ReactNode }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const users = useUserDirectory();
  const setDone = useSetTaskDone();
  const now = useNow();
  const overdue = !task.done_at && task.due_at !== null && new Date(task.due_at).getTime() < now;
  return (
    <List.Item data-testid="task-row" extra={extra}>
      <Flex gap={10} align="flex-start" style={{ width: '100%' }}>
        <Checkbox
          checked={task.done_at !== null}
          disabled={setDone.isPending}
          onChange={(e) =>
            setDone.mutate(
              { task, done: e.target.checked },
              {
                onSuccess: () => void message.success(e.target.checked ? t('tasks.completed') : t('tasks.reopened')),
                onError: (error) => void message.error(problemMessage(error)),
              },
            )
          }
          aria-label={t('tasks.complete')}
          style={{ marginTop: 2 }}
        />
        <Flex vertical gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Typography.Text delete={task.done_at !== null} data-testid="task-title">
            {task.title}
          </Typography.Text>
          <Flex gap={6} wrap>
            {task.due_at && (
              <Tag bordered={false} color={overdue ? 'red' : task.done_at ? 'default' : 'blue'}>
                {overdue ? t('tasks.overdueAt', { time: formatDateTime(task.due_at) }) : formatDateTime(task.due_at)}
              </Tag>
            )}
            {task.assignee_id && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {users.byId.get(task.assignee_id)?.name}
              </Typography.Text>
            )}
            {task.kind !== 'todo' && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(`tasks.kinds.${task.kind === 'follow_up' ? 'follow_up' : 'other'}`)}
              </Typography.Text>
            )}
          </Flex>
        </Flex>
      </Flex>
    </List.Item>
  );
}

export function TasksPanel({ customerId, writable }: { customerId: string; writable: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [show, setShow] = useState<'open' | 'done'>('open');
  const tasks = useTasks({ customer_id: customerId, done: show === 'done', sort: show === 'done' ? '-due_at' : 'due_at' });
  const create = useCreateTask();
  const [form] = Form.useForm<{ title: string; due_at?: Dayjs | null; assignee_id?: string | null }>();
  return (
    <>
      {writable && (
        <Form
          form={form}
          layout="inline"
          onFinish={(values) =>
            create.mutate(
              {
                title: values.title.trim(),
                customer_id: customerId,
                due_at: values.due_at ? values.due_at.toISOString() : null,
                assignee_id: values.assignee_id ?? null,
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
          style={{ marginBottom: 12, rowGap: 8 }}
        >
          <Form.Item name="title" rules={[{ required: true, whitespace: true, message: t('tasks.titleRequired') }]} style={{ flex: 1, minWidth: 200 }}>
            <Input placeholder={t('tasks.newPlaceholder')} maxLength={300} />
          </Form.Item>
          <Form.Item name="due_at">
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" placeholder={t('tasks.due')} />
          </Form.Item>
          <Form.Item name="assignee_id" style={{ width: 140 }}>
            <UserSelect placeholder={t('tasks.assigneeDefault')} />
          </Form.Item>
          <Button htmlType="submit" icon={<PlusOutlined />} loading={create.isPending}>
            {t('common.add')}
          </Button>
        </Form>
      )}
      <Segmented
        size="small"
        value={show}
        onChange={setShow}
        options={[
          { value: 'open', label: t('tasks.open') },
          { value: 'done', label: t('tasks.doneList') },
        ]}
        style={{ marginBottom: 8 }}
      />
      {tasks.isError && <ProblemAlert error={tasks.error} onRetry={() => void tasks.refetch()} />}
      <List<Task>
        loading={tasks.isPending}
        dataSource={tasks.data ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tasks.empty')} /> }}
        renderItem={(task) => <TaskRow task={task} />}
      />
    </>
  );
}
