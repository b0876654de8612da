import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, List, Row, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { Task } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useSession } from '../auth';
import { useCustomer } from '../customers/api';
import { TaskRow } from '../customers/TasksPanel';
import { useMyDay } from './api';
import { dayIn, groupMyDay } from './myDay';

function CustomerLink({ id }: { id: string }) {
  const customer = useCustomer(id);
  return (
    <Link to={`/customers/${id}`} data-testid="my-day-customer">
      {customer.data?.name ?? '…'}
    </Link>
  );
}

function TaskGroup({ title, tasks, danger, testId }: { title: string; tasks: Task[]; danger?: boolean; testId: string }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={
        <Typography.Text strong type={danger && tasks.length > 0 ? 'danger' : undefined}>
          {title} · {tasks.length}
        </Typography.Text>
      }
      data-testid={testId}
    >
      <List<Task>
        dataSource={tasks}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('myDay.nothing')} /> }}
        renderItem={(task) => (
          <TaskRow task={task} extra={task.customer_id ? <CustomerLink id={task.customer_id} /> : undefined} />
        )}
      />
    </Card>
  );
}

/** Today's work: overdue and due-today follow-ups and to-dos, tick them off as you go. */
export default function MyDayPage() {
  const { t } = useTranslation();
  const me = useSession();
  const myDay = useMyDay();
  const groups = useMemo(
    () => groupMyDay(myDay.data ?? [], new Date(), me.workspace.timezone),
    [myDay.data, me.workspace.timezone],
  );

  return (
    <>
      <PageHeader
        title={t('myDay.title')}
        description={t('myDay.description', {
          date: dayjs(dayIn(new Date(), me.workspace.timezone)).format(t('myDay.dateFormat')),
        })}
        extra={<Button icon={<ReloadOutlined />} onClick={() => void myDay.refetch()} aria-label={t('common.refresh')} />}
      />
      {myDay.isError && <ProblemAlert error={myDay.error} onRetry={() => void myDay.refetch()} />}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('myDay.overdue')} value={groups.overdue.length} valueStyle={{ color: groups.overdue.length ? '#d4380d' : undefined }} loading={myDay.isPending} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('myDay.today')} value={groups.today.length} loading={myDay.isPending} />
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <TaskGroup title={t('myDay.overdue')} tasks={groups.overdue} danger testId="my-day-overdue" />
        </Col>
        <Col xs={24} lg={12}>
          <TaskGroup title={t('myDay.today')} tasks={[...groups.today, ...groups.later]} testId="my-day-today" />
        </Col>
      </Row>
    </>
  );
}
