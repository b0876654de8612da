import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  CustomerServiceOutlined,
  EditOutlined,
  PlusCircleOutlined,
  SwapOutlined,
} from '@ant-design/icons';
import { Empty, Flex, Segmented, Spin, Tag, Timeline, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { ActivityKind, TimelineItem } from '../../api/types';
import { LoadMore } from '../../components/LoadMore';
import { ProblemAlert } from '../../components/ProblemAlert';
import { translateIfExists } from '../../i18n';
import { formatDateTime, fromNow } from '../../lib/dates';
import { PriorityTag, TicketStatusTag } from '../tickets';
import type { TicketPriority, TicketStatus } from '../tickets/types';
import { useUserDirectory } from '../users';
import { ACTIVITY_COLORS, ACTIVITY_ICONS } from './activityKinds';
import { useTimeline } from './api';
import { type Change, fieldName, isQuietChange, QUIET_FIELDS, str } from './timeline';

type Filter = 'all' | 'activity' | 'task' | 'ownership' | 'change' | 'ticket';

function Body({ item, userName }: { item: TimelineItem; userName: (id: unknown) => string }) {
  const { t } = useTranslation();
  const d = item.data;
  switch (item.kind) {
    case 'activity': {
      const kind = str(d.kind) as ActivityKind | null;
      const next = str(d.next_follow_up_at);
      return (
        <Flex vertical gap={4}>
          <Typography.Text>
            <Typography.Text strong>{userName(item.actor_id)}</Typography.Text>{' '}
            {t('timeline.logged', { kind: kind ? t(`activityKinds.${kind}`) : '' })}
          </Typography.Text>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }} data-testid="timeline-content">
            {str(d.content)}
          </Typography.Paragraph>
          <Flex gap={4} wrap>
            {next && (
              <Tag icon={<ClockCircleOutlined />} color="blue" bordered={false} data-testid="timeline-next">
                {t('timeline.next', { time: formatDateTime(next) })}
              </Tag>
            )}
            {str(d.check_in_address) && <Tag bordered={false}>{str(d.check_in_address)}</Tag>}
            {typeof d.satisfaction === 'number' && (
              <Tag bordered={false}>{t('timeline.satisfaction', { score: d.satisfaction })}</Tag>
            )}
          </Flex>
        </Flex>
      );
    }
    case 'task':
      return (
        <Typography.Text>
          {t('timeline.task', { title: str(d.title) ?? '', assignee: userName(d.assignee_id) })}
          {str(d.due_at) && (
            <Typography.Text type="secondary"> · {t('timeline.due', { time: formatDateTime(str(d.due_at)) })}</Typography.Text>
          )}
          {str(d.done_at) && (
            <Tag color="success" bordered={false} style={{ marginLeft: 6 }}>
              {t('tasks.done')}
            </Tag>
          )}
        </Typography.Text>
      );
    case 'ownership': {
      const kind = str(d.kind) ?? 'transfer';
      return (
        <Flex vertical gap={2}>
          <Typography.Text>
            {translateIfExists(`ledger.kinds.${kind}`) ?? kind}
            {': '}
            {d.from_user_id ? userName(d.from_user_id) : t('ledger.nobody')} → {d.to_user_id ? userName(d.to_user_id) : t('ledger.pool')}
          </Typography.Text>
          {str(d.reason) && <Typography.Text type="secondary">{t('ledger.reasonShown', { reason: str(d.reason) })}</Typography.Text>}
        </Flex>
      );
    }
    case 'change': {
      const action = str(d.action) ?? 'updated';
      const changes = (d.changes ?? {}) as Record<string, Change>;
      const fields = Object.keys(changes).filter((k) => !QUIET_FIELDS.has(k));
      const text =
        action === 'updated' && fields.length > 0
          ? t('timeline.changed', { fields: fields.map(fieldName).join(t('common.listSeparator')) })
          : (translateIfExists(`timeline.actions.${action}`) ?? t('timeline.actions.other'));
      return (
        <Typography.Text>
          <Typography.Text strong>{userName(item.actor_id)}</Typography.Text> {text}
        </Typography.Text>
      );
    }
    case 'ticket':
      return (
        <Flex gap={6} wrap align="center">
          <Link to={`/tickets/${item.id}`} data-testid="timeline-ticket-link">
            {t('tickets.timeline.item', { number: str(d.number) ?? '', subject: str(d.subject) ?? '' })}
          </Link>
          {str(d.status) && <TicketStatusTag status={d.status as TicketStatus} />}
          {str(d.priority) && <PriorityTag priority={d.priority as TicketPriority} />}
        </Flex>
      );
    default:
      return <Typography.Text>{item.kind}</Typography.Text>;
  }
}

function dot(item: TimelineItem): { dot?: ReactNode; color?: string } {
  switch (item.kind) {
    case 'activity': {
      const kind = (str(item.data.kind) ?? 'note') as ActivityKind;
      return { dot: ACTIVITY_ICONS[kind], color: ACTIVITY_COLORS[kind] };
    }
    case 'task':
      return { dot: item.data.done_at ? <CheckCircleOutlined /> : <ClockCircleOutlined />, color: 'orange' };
    case 'ownership':
      return { dot: <SwapOutlined />, color: 'purple' };
    case 'change':
      return { dot: item.data.action === 'created' ? <PlusCircleOutlined /> : <EditOutlined />, color: 'gray' };
    case 'ticket':
      return { dot: <CustomerServiceOutlined />, color: 'cyan' };
    default:
      return {};
  }
}

/** Follow-ups, tasks, ownership and field changes, newest first, kept across owners. */
export function CustomerTimeline({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const users = useUserDirectory();
  const timeline = useTimeline(customerId);
  const [filter, setFilter] = useState<Filter>('all');
  const items = useMemo(
    () =>
      (timeline.data?.pages.flatMap((page) => page.data) ?? []).filter(
        (item) => !isQuietChange(item) && (filter === 'all' || item.kind === filter),
      ),
    [timeline.data, filter],
  );
  const userName = (id: unknown) => (typeof id === 'string' ? (users.byId.get(id)?.name ?? '…') : t('audit.system'));

  return (
    <div data-testid="customer-timeline">
      <Segmented<Filter>
        size="small"
        value={filter}
        onChange={setFilter}
        options={(['all', 'activity', 'task', 'ownership', 'change', 'ticket'] as const).map((f) => ({
          value: f,
          label: f === 'ticket' ? t('tickets.timeline.filter') : t(`timeline.filters.${f}`),
        }))}
        style={{ marginBottom: 16 }}
      />
      {timeline.isError && <ProblemAlert error={timeline.error} onRetry={() => void timeline.refetch()} />}
      {timeline.isPending ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('timeline.empty')} />
      ) : (
        <Timeline
          items={items.map((item) => ({
            key: item.id,
            ...dot(item),
            children: (
              <Flex vertical gap={2} data-testid={`timeline-item-${item.kind}`}>
                <Body item={item} userName={userName} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }} title={formatDateTime(item.occurred_at) ?? ''}>
                  {fromNow(item.occurred_at)} · {formatDateTime(item.occurred_at)}
                </Typography.Text>
              </Flex>
            ),
          }))}
        />
      )}
      <LoadMore
        hasMore={timeline.hasNextPage}
        loading={timeline.isFetchingNextPage}
        onLoadMore={() => void timeline.fetchNextPage()}
        shown={items.length}
      />
    </div>
  );
}
