import { Flex, Table, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { formatDateTime, fromNow } from '../../lib/dates';
import { useNow } from '../../lib/useNow';
import { useUserDirectory } from '../users';
import { SlaBadge } from './SlaBadge';
import { headlineClock } from './sla';
import { typeLabel } from './statuses';
import { PriorityTag, TicketStatusTag } from './TicketTags';
import type { Ticket, TicketSort } from './types';

const SORTABLE = new Set(['number', 'priority', 'created_at', 'updated_at', 'resolution_due_at']);

function sortOrder(sort: TicketSort | undefined, key: string): 'ascend' | 'descend' | null {
  if (sort === key) return 'ascend';
  if (sort === `-${key}`) return 'descend';
  return null;
}

/** Tickets as rows: number and subject, who asks, status, priority, the clock that matters, agent. */
export function TicketTable({
  tickets,
  loading,
  sort,
  onSortChange,
  warningMinutes,
}: {
  tickets: Ticket[];
  loading: boolean;
  sort?: TicketSort;
  onSortChange?: (sort: TicketSort | undefined) => void;
  warningMinutes: (ticket: Ticket) => number | undefined;
}) {
  const { t } = useTranslation();
  const users = useUserDirectory();
  const now = useNow(30_000);
  const sorter = (key: string) =>
    onSortChange && SORTABLE.has(key) ? { sorter: true, sortOrder: sortOrder(sort, key), showSorterTooltip: false } : {};
  return (
    <Table<Ticket>
      rowKey="id"
      size="middle"
      dataSource={tickets}
      loading={loading}
      pagination={false}
      scroll={{ x: 1180 }}
      locale={{ emptyText: t('tickets.empty') }}
      data-testid="tickets-table"
      onRow={(ticket) => ({ 'data-testid': 'ticket-row', 'data-number': ticket.number }) as React.HTMLAttributes<HTMLElement>}
      onChange={(_p, _f, sorterArg) => {
        const s = (Array.isArray(sorterArg) ? sorterArg[0] : sorterArg) as SorterResult<Ticket> | undefined;
        const key = s?.columnKey as string | undefined;
        onSortChange?.(s?.order && key ? ((s.order === 'descend' ? `-${key}` : key) as TicketSort) : undefined);
      }}
      columns={[
        {
          key: 'number',
          title: t('tickets.fields.subject'),
          fixed: 'left',
          width: 300,
          ...sorter('number'),
          render: (_: unknown, ticket) => (
            <Flex vertical gap={0}>
              <Link to={`/tickets/${ticket.id}`} data-testid="ticket-link">
                <Typography.Text strong style={{ color: 'inherit' }} ellipsis>
                  {ticket.subject}
                </Typography.Text>
              </Link>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {ticket.number} · {typeLabel(ticket.type)} · {t(`tickets.channels.${ticket.channel}`)}
              </Typography.Text>
            </Flex>
          ),
        },
        {
          key: 'requester',
          title: t('tickets.fields.customer'),
          width: 180,
          ellipsis: true,
          render: (_: unknown, ticket) =>
            ticket.customer_id ? (
              <Link to={`/customers/${ticket.customer_id}`}>{ticket.customer_name ?? '…'}</Link>
            ) : (
              <Typography.Text>{ticket.requester_name ?? ticket.requester_phone ?? ticket.requester_email ?? '—'}</Typography.Text>
            ),
        },
        {
          key: 'status',
          title: t('tickets.fields.status'),
          width: 90,
          render: (_: unknown, ticket) => <TicketStatusTag status={ticket.status} />,
        },
        {
          key: 'priority',
          title: t('tickets.fields.priority'),
          width: 90,
          ...sorter('priority'),
          render: (_: unknown, ticket) => <PriorityTag priority={ticket.priority} />,
        },
        {
          key: 'resolution_due_at',
          title: t('tickets.fields.sla'),
          width: 220,
          ...sorter('resolution_due_at'),
          render: (_: unknown, ticket) => {
            const headline = headlineClock(ticket);
            return headline ? (
              <SlaBadge clock={headline.clock} which={headline.which} now={now} warningMinutes={warningMinutes(ticket)} />
            ) : (
              <Typography.Text type="secondary">—</Typography.Text>
            );
          },
        },
        {
          key: 'assignee',
          title: t('tickets.fields.assignee'),
          width: 120,
          render: (_: unknown, ticket) =>
            ticket.assignee_id ? (
              <span data-testid="ticket-row-assignee">{users.byId.get(ticket.assignee_id)?.name ?? '…'}</span>
            ) : (
              <Typography.Text type="secondary">{t('tickets.unassigned')}</Typography.Text>
            ),
        },
        {
          key: 'created_at',
          title: t('tickets.fields.created_at'),
          width: 110,
          ...sorter('created_at'),
          render: (_: unknown, ticket) => <span title={formatDateTime(ticket.created_at) ?? ''}>{fromNow(ticket.created_at)}</span>,
        },
      ]}
    />
  );
}
