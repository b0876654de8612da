import { Button, Col, List, Row, Statistic } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { useSession } from '../auth';
import { TaskRow } from '../customers/TasksPanel';
import { useMyDay } from '../tasks/api';
import { groupMyDay } from '../tasks/myDay';
import { Widget } from './Widget';

const SHOWN = 5;

/** Overdue and due-today tasks: the counts, the first few to tick off, a way to the full list. */
export function MyDayWidget() {
  const { t } = useTranslation();
  const me = useSession();
  const myDay = useMyDay();
  const groups = useMemo(() => groupMyDay(myDay.data ?? [], new Date(), me.workspace.timezone), [myDay.data, me.workspace.timezone]);
  const due = [...groups.overdue, ...groups.today];
  return (
    <Widget
      title={t('dashboard.myDay.title')}
      extra={
        <Link to="/my-day">
          <Button size="small" type="link">
            {t('dashboard.myDay.open')}
          </Button>
        </Link>
      }
      query={myDay}
      empty={due.length === 0}
      emptyText={t('dashboard.myDay.empty')}
      height={220}
      testId="widget-my-day"
    >
      {() => (
        <>
          <Row gutter={16}>
            <Col span={12}>
              <Statistic
                title={t('dashboard.myDay.overdue')}
                value={groups.overdue.length}
                valueStyle={groups.overdue.length ? { color: '#d4380d' } : undefined}
                data-testid="my-day-overdue-count"
              />
            </Col>
            <Col span={12}>
              <Statistic title={t('dashboard.myDay.today')} value={groups.today.length} data-testid="my-day-today-count" />
            </Col>
          </Row>
          <List size="small" dataSource={due.slice(0, SHOWN)} renderItem={(task) => <TaskRow task={task} />} />
        </>
      )}
    </Widget>
  );
}
