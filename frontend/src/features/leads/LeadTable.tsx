import { Flex, Table, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { formatDate, fromNow } from '../../lib/dates';
import { useCampaignDirectory } from '../campaigns/api';
import { useUserDirectory } from '../users';
import { LeadStatusTag } from './LeadStatusTag';
import type { Lead, LeadSort } from './types';

const SORTABLE = new Set(['name', 'score', 'created_at', 'updated_at']);

function sortOrder(sort: LeadSort | undefined, key: string): 'ascend' | 'descend' | null {
  if (sort === key) return 'ascend';
  if (sort === `-${key}`) return 'descend';
  return null;
}

/** Leads as rows: name and company, status, owner, origin, contact, score, age. */
export function LeadTable({
  leads,
  loading,
  sort,
  onSortChange,
  showCampaign = true,
}: {
  leads: Lead[];
  loading: boolean;
  sort?: LeadSort;
  onSortChange?: (sort: LeadSort | undefined) => void;
  showCampaign?: boolean;
}) {
  const { t } = useTranslation();
  const users = useUserDirectory();
  const campaigns = useCampaignDirectory();
  const sorter = (key: string) =>
    onSortChange && SORTABLE.has(key) ? { sorter: true, sortOrder: sortOrder(sort, key), showSorterTooltip: false } : {};
  return (
    <Table<Lead>
      rowKey="id"
      size="middle"
      dataSource={leads}
      loading={loading}
      pagination={false}
      // A fixed scroll width: `max-content` re-measures with every cell and can push the layout.
      scroll={{ x: 1150 }}
      locale={{ emptyText: t('leads.empty') }}
      data-testid="leads-table"
      onChange={(_p, _f, sorterArg) => {
        const s = (Array.isArray(sorterArg) ? sorterArg[0] : sorterArg) as SorterResult<Lead> | undefined;
        const key = s?.columnKey as string | undefined;
        onSortChange?.(s?.order && key ? ((s.order === 'descend' ? `-${key}` : key) as LeadSort) : undefined);
      }}
      columns={[
        {
          key: 'name',
          title: t('leads.fields.name'),
          dataIndex: 'name',
          fixed: 'left',
          width: 220,
          ...sorter('name'),
          render: (name: string, lead) => (
            <Flex vertical gap={0}>
              <Link to={`/leads/${lead.id}`} data-testid="lead-link">
                <Typography.Text strong style={{ color: 'inherit' }}>
                  {name}
                </Typography.Text>
              </Link>
              {lead.company && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {lead.company}
                </Typography.Text>
              )}
            </Flex>
          ),
        },
        {
          key: 'status',
          title: t('leads.fields.status'),
          dataIndex: 'status',
          width: 90,
          render: (status: Lead['status']) => <LeadStatusTag status={status} />,
        },
        {
          key: 'owner',
          title: t('leads.fields.owner'),
          dataIndex: 'owner_id',
          width: 110,
          render: (id: string | null) =>
            id ? (
              <span data-testid="lead-row-owner">{users.byId.get(id)?.name ?? '…'}</span>
            ) : (
              <Typography.Text type="secondary">{t('leads.unassigned')}</Typography.Text>
            ),
        },
        { key: 'source', title: t('leads.fields.source'), dataIndex: 'source', width: 110 },
        ...(showCampaign
          ? [
              {
                key: 'campaign',
                title: t('leads.fields.campaign'),
                dataIndex: 'campaign_id',
                width: 180,
                ellipsis: true,
                render: (id: string | null) =>
                  id ? <Link to={`/campaigns/${id}`}>{campaigns.byId.get(id)?.name ?? '…'}</Link> : null,
              },
            ]
          : []),
        {
          key: 'phones',
          title: t('leads.fields.phones'),
          dataIndex: 'phones',
          width: 140,
          render: (phones: string[]) => phones[0] ?? null,
        },
        {
          key: 'region',
          title: t('customers.columns.region'),
          width: 110,
          render: (_: unknown, lead) => [lead.province, lead.city].filter(Boolean).join(' / '),
        },
        { key: 'score', title: t('leads.fields.score'), dataIndex: 'score', width: 80, ...sorter('score') },
        {
          key: 'created_at',
          title: t('leads.fields.created_at'),
          dataIndex: 'created_at',
          width: 110,
          ...sorter('created_at'),
          render: (value: string) => <span title={formatDate(value) ?? ''}>{fromNow(value)}</span>,
        },
      ]}
    />
  );
}
