import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Input, Select, Table, Typography, type TableColumnsType } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';

import type { Contract, ContractListQuery } from '../../api/types';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { UserSelect } from '../../components/UserSelect';
import { formatDate } from '../../lib/dates';
import { canWrite, useSession } from '../auth';
import { useUserDirectory } from '../users';
import { type ContractFilters, useContractList } from './api';
import { ContractFormDrawer } from './ContractFormDrawer';
import { ContractStatusTag } from './ContractStatusTag';
import { CustomerSelect } from './CustomerSelect';
import { formatMoney, isZero } from './money';
import { CONTRACT_STATUSES } from './statuses';

type Sort = NonNullable<ContractListQuery['sort']>;
const SORTABLE = new Set(['number', 'amount', 'created_at']);

function sortOrder(sort: Sort | undefined, key: string): 'ascend' | 'descend' | null {
  if (sort === key) return 'ascend';
  if (sort === `-${key}`) return 'descend';
  return null;
}

/**
 * Contracts with their money at a glance. `/contracts/new?opportunity_id=…` (the "create
 * contract" button of a won deal) opens the create drawer prefilled from that deal.
 */
export default function ContractList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const me = useSession();
  const writable = canWrite(me, 'contracts');
  const users = useUserDirectory();
  const [filters, setFilters] = useState<ContractFilters>({});
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const saved = useRef(false);
  const onNewRoute = location.pathname === '/contracts/new';
  const drawerOpen = creating || onNewRoute;
  const opportunityId = onNewRoute ? searchParams.get('opportunity_id') : null;

  const list = useContractList(filters);
  const contracts = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);

  const sorter = (key: string) =>
    SORTABLE.has(key) ? { sorter: true, sortOrder: sortOrder(filters.sort, key), showSorterTooltip: false } : {};

  const columns: TableColumnsType<Contract> = [
    {
      key: 'number',
      title: t('contracts.fields.number'),
      dataIndex: 'number',
      fixed: 'left',
      width: 200,
      ...sorter('number'),
      render: (number: string, c) => (
        <Flex vertical gap={0}>
          <Link to={`/contracts/${c.id}`} data-testid="contract-link">
            <Typography.Text strong style={{ color: 'inherit' }}>
              {number}
            </Typography.Text>
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
            {c.title}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'customer',
      title: t('contracts.fields.customer'),
      dataIndex: 'customer_name',
      width: 200,
      render: (name: string | null, c) => <Link to={`/customers/${c.customer_id}`}>{name ?? '…'}</Link>,
    },
    {
      key: 'status',
      title: t('contracts.fields.status'),
      dataIndex: 'status',
      width: 100,
      render: (status: Contract['status']) => <ContractStatusTag status={status} />,
    },
    {
      key: 'amount',
      title: t('contracts.fields.amount'),
      dataIndex: 'amount',
      align: 'right',
      width: 140,
      ...sorter('amount'),
      render: (amount: string, c) => formatMoney(amount, c.currency),
    },
    {
      key: 'received',
      title: t('contracts.totals.received'),
      align: 'right',
      width: 130,
      render: (_: unknown, c) => formatMoney(c.totals.received, c.currency),
    },
    {
      key: 'outstanding',
      title: t('contracts.totals.outstanding'),
      align: 'right',
      width: 150,
      render: (_: unknown, c) => (
        <Flex vertical gap={0} align="flex-end">
          <span>{formatMoney(c.totals.outstanding, c.currency)}</span>
          {!isZero(c.totals.overdue) && (
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {t('contracts.overdueAmount', { amount: formatMoney(c.totals.overdue, c.currency) })}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      key: 'owner',
      title: t('contracts.fields.owner'),
      dataIndex: 'owner_id',
      width: 120,
      render: (id: string | null) => (id ? (users.byId.get(id)?.name ?? '…') : '—'),
    },
    {
      key: 'period',
      title: t('contracts.fields.period'),
      width: 200,
      render: (_: unknown, c) =>
        c.starts_on || c.ends_on ? `${formatDate(c.starts_on) ?? '…'} ~ ${formatDate(c.ends_on) ?? '…'}` : '—',
    },
    {
      key: 'created_at',
      title: t('contracts.fields.created_at'),
      dataIndex: 'created_at',
      width: 120,
      ...sorter('created_at'),
      render: (value: string) => formatDate(value),
    },
  ];

  const closeDrawer = () => {
    setCreating(false);
    // After a save the page moves on to the new contract; a cancel goes back to the list.
    if (onNewRoute && !saved.current) void navigate('/contracts', { replace: true });
  };

  return (
    <>
      <PageHeader
        title={t('contracts.title')}
        description={t('contracts.description')}
        extra={
          writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="contract-create">
              {t('contracts.create')}
            </Button>
          )
        }
      />
      <Card>
        <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="contract-filters">
          <Input.Search
            allowClear
            placeholder={t('contracts.searchPlaceholder')}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              if (!e.target.value) setFilters({ ...filters, q: undefined });
            }}
            onSearch={(value) => setFilters({ ...filters, q: value.trim() || undefined })}
            style={{ width: 240 }}
          />
          <Select
            allowClear
            placeholder={t('contracts.fields.status')}
            value={filters.status ?? undefined}
            onChange={(status) => setFilters({ ...filters, status })}
            options={CONTRACT_STATUSES.map((s) => ({ value: s, label: t(`contracts.statuses.${s}`) }))}
            style={{ width: 140 }}
            data-testid="contract-status-filter"
          />
          <UserSelect
            placeholder={t('contracts.fields.owner')}
            value={filters.owner_id ?? null}
            onChange={(owner) => setFilters({ ...filters, owner_id: owner ?? undefined })}
            includeInactive
            style={{ width: 160 }}
          />
          <CustomerSelect
            placeholder={t('contracts.fields.customer')}
            value={filters.customer_id ?? null}
            onChange={(customer) => setFilters({ ...filters, customer_id: customer ?? undefined })}
            style={{ width: 220 }}
          />
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />
        </Flex>
        {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
        <Table<Contract>
          rowKey="id"
          size="middle"
          dataSource={contracts}
          loading={list.isPending || (list.isFetching && !list.isFetchingNextPage && list.isPlaceholderData)}
          pagination={false}
          columns={columns}
          scroll={{ x: 'max-content' }}
          sticky
          onChange={(_pagination, _filters, sorterArg) => {
            const s = (Array.isArray(sorterArg) ? sorterArg[0] : sorterArg) as SorterResult<Contract> | undefined;
            const key = s?.columnKey as string | undefined;
            const sort = s?.order && key ? ((s.order === 'descend' ? `-${key}` : key) as Sort) : undefined;
            if (sort !== filters.sort) setFilters({ ...filters, sort });
          }}
          data-testid="contracts-table"
        />
        <LoadMore
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
          shown={contracts.length}
        />
      </Card>
      {drawerOpen && writable && (
        <ContractFormDrawer
          opportunityId={opportunityId}
          onClose={closeDrawer}
          onSaved={(contract) => {
            saved.current = true;
            void navigate(`/contracts/${contract.id}`, { replace: onNewRoute });
          }}
        />
      )}
    </>
  );
}
