import { Badge, Card, Empty, Flex, Spin, Typography } from 'antd';
import { type DragEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ProblemAlert } from '../../components/ProblemAlert';
import { fromNow } from '../../lib/dates';
import { problemMessage } from '../../lib/problems';
import { useUserDirectory } from '../users';
import { BOARD_PAGE_SIZE, useLeadList, useMoveLead } from './api';
import type { LeadFilters } from './filters';
import { LeadStatusMenu } from './LeadStatusMenu';
import { LEAD_STATUSES, leadStatusColor } from './statuses';
import type { Lead, LeadStatus } from './types';

const DRAG_TYPE = 'application/x-rapport-lead';

function LeadCard({
  lead,
  writable,
  onMove,
  onConvert,
}: {
  lead: Lead;
  writable: boolean;
  onMove: (lead: Lead, status: LeadStatus) => void;
  onConvert: (lead: Lead) => void;
}) {
  const { t } = useTranslation();
  const users = useUserDirectory();
  const movable = writable && lead.status !== 'converted';
  return (
    <Card
      size="small"
      draggable={movable}
      onDragStart={(e: DragEvent) => {
        // The lead travels with the drag: the drop column needs its version for If-Match.
        e.dataTransfer.setData(DRAG_TYPE, JSON.stringify(lead));
        e.dataTransfer.effectAllowed = 'move';
      }}
      style={{ cursor: movable ? 'grab' : 'default' }}
      styles={{ body: { padding: 10 } }}
      data-testid="lead-card"
    >
      <Flex vertical gap={4}>
        <Link to={`/leads/${lead.id}`}>
          <Typography.Text strong style={{ color: 'inherit' }}>
            {lead.name}
          </Typography.Text>
        </Link>
        {lead.company && (
          <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
            {lead.company}
          </Typography.Text>
        )}
        <Flex justify="space-between" align="center" gap={4}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {lead.owner_id ? (users.byId.get(lead.owner_id)?.name ?? '…') : t('leads.unassigned')} · {fromNow(lead.created_at)}
          </Typography.Text>
          {movable && (
            <LeadStatusMenu
              lead={lead}
              size="small"
              onMove={(status) => onMove(lead, status)}
              onConvert={() => onConvert(lead)}
            />
          )}
        </Flex>
      </Flex>
    </Card>
  );
}

function Column({
  status,
  filters,
  writable,
  onMove,
  onConvert,
}: {
  status: LeadStatus;
  filters: LeadFilters;
  writable: boolean;
  onMove: (lead: Lead, status: LeadStatus) => void;
  onConvert: (lead: Lead) => void;
}) {
  const { t } = useTranslation();
  const list = useLeadList({ ...filters, status }, BOARD_PAGE_SIZE);
  const leads = list.data?.pages.flatMap((p) => p.data) ?? [];
  const [over, setOver] = useState(false);
  const accepts = (e: DragEvent) => writable && e.dataTransfer.types.includes(DRAG_TYPE);
  return (
    <Flex
      vertical
      gap={8}
      onDragOver={(e) => {
        if (!accepts(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        const lead = draggedLead(e);
        if (!lead || lead.status === status) return;
        e.preventDefault();
        if (status === 'converted') onConvert(lead);
        else onMove(lead, status);
      }}
      style={{
        flex: '1 1 200px',
        minWidth: 200,
        background: over ? '#e6efff' : '#f4f6f9',
        borderRadius: 8,
        padding: 8,
        minHeight: 360,
        transition: 'background 0.15s',
      }}
      data-testid={`lead-column-${status}`}
    >
      <Flex justify="space-between" align="center" style={{ padding: '2px 4px' }}>
        <Badge color={leadStatusColor(status) === 'default' ? '#bfbfbf' : leadStatusColor(status)} text={<Typography.Text strong>{t(`leads.statuses.${status}`)}</Typography.Text>} />
        <Typography.Text type="secondary">{list.hasNextPage ? `${leads.length}+` : leads.length}</Typography.Text>
      </Flex>
      {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending ? (
        <Spin style={{ margin: '24px auto' }} />
      ) : leads.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('leads.columnEmpty')} />
      ) : (
        leads.map((lead) => <LeadCard key={lead.id} lead={lead} writable={writable} onMove={onMove} onConvert={onConvert} />)
      )}
      {list.hasNextPage && (
        <Typography.Link
          style={{ textAlign: 'center', fontSize: 13 }}
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          {t('common.loadMore')}
        </Typography.Link>
      )}
    </Flex>
  );
}

function draggedLead(e: DragEvent): Lead | null {
  try {
    const raw = e.dataTransfer.getData(DRAG_TYPE);
    return raw ? (JSON.parse(raw) as Lead) : null;
  } catch {
    return null;
  }
}

/** One column per status; drag a card, or use its menu, to move it. */
export function LeadBoard({
  filters,
  writable,
  onConvert,
}: {
  filters: LeadFilters;
  writable: boolean;
  onConvert: (lead: Lead) => void;
}) {
  const { t } = useTranslation();
  const move = useMoveLead();
  const [error, setError] = useState<string | null>(null);
  const onMove = (lead: Lead, status: LeadStatus) => {
    setError(null);
    move.mutate(
      { lead, status },
      { onError: (e) => setError(t('leads.moveFailed', { reason: problemMessage(e) })) },
    );
  };
  return (
    <>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Flex gap={12} style={{ overflowX: 'auto', paddingBottom: 8 }} data-testid="lead-board">
        {LEAD_STATUSES.map((status) => (
          <Column key={status} status={status} filters={filters} writable={writable} onMove={onMove} onConvert={onConvert} />
        ))}
      </Flex>
    </>
  );
}
