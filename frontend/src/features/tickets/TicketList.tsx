import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Tabs } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';

import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { canWrite, useSession } from '../auth';
import { ticketKeys, useSlaPolicies, useTicketList } from './api';
import { QUEUES, type TicketFilters } from './filters';
import { TicketFilterBar } from './TicketFilterBar';
import { TicketFormDrawer } from './TicketFormDrawer';
import { TicketTable } from './TicketTable';
import type { Ticket, TicketQueue } from './types';

function isQueue(value: string | null): value is TicketQueue {
  return value !== null && (QUEUES as readonly string[]).includes(value);
}

/** 服务工单: the queues (mine, my team, unassigned, breaching soon, all I may see). */
export default function TicketList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSession();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const queueParam = params.get('queue');
  const queue: TicketQueue = isQueue(queueParam) ? queueParam : 'mine';
  const [filters, setFilters] = useState<Omit<TicketFilters, 'queue'>>({});
  const [creating, setCreating] = useState(false);
  const all = { ...filters, queue };
  const list = useTicketList(all);
  const policies = useSlaPolicies();
  const tickets = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);
  const warnings = useMemo(() => new Map((policies.data ?? []).map((p) => [p.id, p.warning_minutes])), [policies.data]);
  const warningMinutes = (ticket: Ticket) => (ticket.sla.policy_id ? warnings.get(ticket.sla.policy_id) : undefined);

  return (
    <>
      <PageHeader
        title={t('tickets.title')}
        description={t('tickets.description')}
        extra={
          canWrite(me, 'tickets') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="ticket-create">
              {t('tickets.create')}
            </Button>
          )
        }
      />
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={queue}
          onChange={(key) => setParams(key === 'mine' ? {} : { queue: key }, { replace: true })}
          items={QUEUES.map((key) => ({ key, label: <span data-testid={`queue-${key}`}>{t(`tickets.queues.${key}`)}</span> }))}
          data-testid="ticket-queues"
        />
        <TicketFilterBar
          filters={all}
          onChange={({ queue: _queue, ...next }) => setFilters(next)}
          onRefresh={() => void queryClient.invalidateQueries({ queryKey: ticketKeys.lists() })}
        />
        {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
        <TicketTable
          tickets={tickets}
          loading={list.isPending || (list.isFetching && !list.isFetchingNextPage && list.isPlaceholderData)}
          sort={filters.sort}
          onSortChange={(sort) => setFilters({ ...filters, sort })}
          warningMinutes={warningMinutes}
        />
        <LoadMore
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
          shown={tickets.length}
        />
      </Card>
      {creating && (
        <TicketFormDrawer onClose={() => setCreating(false)} onSaved={(ticket) => void navigate(`/tickets/${ticket.id}`)} />
      )}
    </>
  );
}
