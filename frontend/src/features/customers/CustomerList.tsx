import {
  DownloadOutlined,
  DownOutlined,
  FlagOutlined,
  ImportOutlined,
  PlusOutlined,
  SwapOutlined,
  TagsOutlined,
} from '@ant-design/icons';
import { Button, Card, Dropdown, Flex, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import type { Customer, CustomerSort, CustomField } from '../../api/types';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { currentLanguage } from '../../i18n';
import { formatDate, formatDateTime, fromNow } from '../../lib/dates';
import { canWrite, useSession } from '../auth';
import { useCustomFields } from '../custom-fields/api';
import { CustomFieldValue } from '../custom-fields/CustomFieldInput';
import { fieldLabel } from '../custom-fields/values';
import { hasImports } from '../imports/available';
import { TagChips } from '../tags';
import { useUserDirectory } from '../users';
import { useCustomerList } from './api';
import { BulkTagModal } from './BulkTagModal';
import { loadColumns, saveColumns } from './columns';
import { CustomerFilterBar } from './CustomerFilterBar';
import { CustomerFormDrawer } from './CustomerFormDrawer';
import { DisputesDrawer } from './DisputesDrawer';
import { type CustomerFilters, exportUrl, statusColor } from './filters';
import { TransferModal } from './TransferModal';

const FILTER_STORAGE_KEY = 'rapport.customers.filters';
const SORTABLE = new Set(['name', 'last_followed_at', 'created_at', 'updated_at']);

function loadFilters(): CustomerFilters {
  try {
    const raw = window.sessionStorage.getItem(FILTER_STORAGE_KEY);
    return raw ? (JSON.parse(raw) as CustomerFilters) : {};
  } catch {
    return {};
  }
}

function sortOrder(sort: CustomerSort | undefined, key: string): 'ascend' | 'descend' | null {
  if (sort === key) return 'ascend';
  if (sort === `-${key}`) return 'descend';
  return null;
}

export default function CustomerList() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const me = useSession();
  const writable = canWrite(me, 'customers');
  const users = useUserDirectory();
  const fields = useCustomFields('customer');
  const [filters, setFiltersState] = useState<CustomerFilters>(loadFilters);
  const [columns, setColumnsState] = useState<string[]>(() => loadColumns());
  const [selected, setSelected] = useState<string[]>([]);
  const [dialog, setDialog] = useState<'create' | 'transfer' | 'tag' | 'disputes' | null>(null);

  const setFilters = (next: CustomerFilters) => {
    setFiltersState(next);
    setSelected([]);
    try {
      window.sessionStorage.setItem(FILTER_STORAGE_KEY, JSON.stringify(next));
    } catch {
      // Filters then last only while the page is open.
    }
  };
  const setColumns = (next: string[]) => {
    setColumnsState(next);
    saveColumns(next);
  };

  const list = useCustomerList(filters);
  const customers = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);
  const shown = new Set(columns);

  const sorter = (key: string) =>
    SORTABLE.has(key) ? { sorter: true, sortOrder: sortOrder(filters.sort, key), showSorterTooltip: false } : {};

  const allColumns: (TableColumnsType<Customer>[number] & { key: string })[] = [
    {
      key: 'name',
      title: t('customers.fields.name'),
      dataIndex: 'name',
      fixed: 'left',
      width: 240,
      ...sorter('name'),
      render: (name: string, customer) => (
        <Flex vertical gap={0}>
          <Link to={`/customers/${customer.id}`} data-testid="customer-link">
            <Typography.Text strong style={{ color: 'inherit' }}>
              {name}
            </Typography.Text>
          </Link>
          {customer.short_name && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {customer.short_name}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      key: 'status',
      title: t('customers.fields.status'),
      dataIndex: 'status',
      width: 90,
      render: (status: Customer['status']) => (
        <Tag color={statusColor(status)} bordered={false}>
          {t(`customers.statuses.${status}`)}
        </Tag>
      ),
    },
    {
      key: 'level',
      title: t('customers.fields.level'),
      dataIndex: 'level',
      width: 70,
      render: (level: string | null) => (level ? <Tag color="gold">{level}</Tag> : null),
    },
    {
      key: 'owner',
      title: t('customers.fields.owner'),
      dataIndex: 'owner_id',
      width: 110,
      render: (id: string | null) =>
        id ? (
          (users.byId.get(id)?.name ?? '…')
        ) : (
          <Typography.Text type="secondary">{t('customers.inPool')}</Typography.Text>
        ),
    },
    {
      key: 'phones',
      title: t('customers.fields.phones'),
      dataIndex: 'phones',
      width: 150,
      render: (phones: string[]) => phones[0] ?? null,
    },
    {
      key: 'region',
      title: t('customers.columns.region'),
      width: 130,
      render: (_: unknown, c: Customer) => [c.province, c.city, c.district].filter(Boolean).join(' / '),
    },
    { key: 'industry', title: t('customers.fields.industry'), dataIndex: 'industry', width: 120 },
    { key: 'source', title: t('customers.fields.source'), dataIndex: 'source', width: 110 },
    {
      key: 'tags',
      title: t('customers.fields.tags'),
      dataIndex: 'tag_ids',
      width: 180,
      render: (ids: string[]) => <TagChips ids={ids} />,
    },
    {
      key: 'last_followed_at',
      title: t('customers.fields.last_followed_at'),
      dataIndex: 'last_followed_at',
      width: 130,
      ...sorter('last_followed_at'),
      render: (value: string | null) =>
        value ? (
          <span title={formatDateTime(value) ?? ''}>{fromNow(value)}</span>
        ) : (
          <Typography.Text type="secondary">{t('customers.neverFollowed')}</Typography.Text>
        ),
    },
    {
      key: 'next_follow_up_at',
      title: t('customers.fields.next_follow_up_at'),
      dataIndex: 'next_follow_up_at',
      width: 130,
      render: (value: string | null) => {
        if (!value) return null;
        const overdue = new Date(value).getTime() < Date.now();
        return <Typography.Text type={overdue ? 'danger' : undefined}>{formatDateTime(value)}</Typography.Text>;
      },
    },
    {
      key: 'created_at',
      title: t('customers.fields.created_at'),
      dataIndex: 'created_at',
      width: 120,
      ...sorter('created_at'),
      render: (value: string) => formatDate(value),
    },
    {
      key: 'updated_at',
      title: t('customers.fields.updated_at'),
      dataIndex: 'updated_at',
      width: 140,
      ...sorter('updated_at'),
      render: (value: string) => formatDateTime(value),
    },
    ...(fields.data ?? []).map((field: CustomField) => ({
      key: `cf.${field.key}`,
      title: fieldLabel(field, i18n.language),
      width: 140,
      render: (_: unknown, c: Customer) => (
        <CustomFieldValue field={field} value={(c.custom_fields as Record<string, unknown>)[field.key]} />
      ),
    })),
  ];
  const visibleColumns = allColumns.filter((c) => c.key === 'name' || shown.has(c.key));

  const exportMenu = {
    items: [
      { key: 'xlsx', label: t('customers.export.xlsx') },
      { key: 'csv', label: t('customers.export.csv') },
    ],
    onClick: ({ key }: { key: string }) => {
      window.location.assign(exportUrl(filters, key as 'csv' | 'xlsx', currentLanguage()));
    },
  };

  return (
    <>
      <PageHeader
        title={t('customers.title')}
        description={t('customers.description')}
        extra={
          <>
            <Button icon={<FlagOutlined />} onClick={() => setDialog('disputes')} data-testid="disputes-open">
              {t('disputes.title')}
            </Button>
            <Dropdown menu={exportMenu} trigger={['click']}>
              <Button icon={<DownloadOutlined />} data-testid="customer-export">
                {t('customers.export.button')} <DownOutlined style={{ fontSize: 10 }} />
              </Button>
            </Dropdown>
            {writable && hasImports && (
              <Button icon={<ImportOutlined />} onClick={() => void navigate('/customers/import')}>
                {t('imports.button')}
              </Button>
            )}
            {writable && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setDialog('create')}
                data-testid="customer-create"
              >
                {t('customers.create')}
              </Button>
            )}
          </>
        }
      />
      <Card>
        <CustomerFilterBar
          filters={filters}
          onChange={setFilters}
          fields={fields.data ?? []}
          columns={columns}
          onColumnsChange={setColumns}
          onRefresh={() => void list.refetch()}
        />
        {selected.length > 0 && (
          <Flex
            align="center"
            gap={8}
            style={{ marginBottom: 12, padding: '6px 12px', background: '#eef3fd', borderRadius: 6 }}
            data-testid="bulk-bar"
          >
            <Typography.Text>{t('common.selected', { count: selected.length })}</Typography.Text>
            {writable && (
              <Space size={4}>
                <Button size="small" icon={<SwapOutlined />} onClick={() => setDialog('transfer')}>
                  {t('transfer.button')}
                </Button>
                <Button size="small" icon={<TagsOutlined />} onClick={() => setDialog('tag')}>
                  {t('bulkTag.button')}
                </Button>
              </Space>
            )}
            <Button size="small" type="link" onClick={() => setSelected([])}>
              {t('common.clearSelection')}
            </Button>
          </Flex>
        )}
        {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
        <Table<Customer>
          rowKey="id"
          size="middle"
          dataSource={customers}
          loading={list.isPending || (list.isFetching && !list.isFetchingNextPage && list.isPlaceholderData)}
          pagination={false}
          columns={visibleColumns}
          scroll={{ x: 'max-content' }}
          sticky
          rowSelection={
            writable
              ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), preserveSelectedRowKeys: true }
              : undefined
          }
          onChange={(_pagination, _filters, sorterArg) => {
            const s = (Array.isArray(sorterArg) ? sorterArg[0] : sorterArg) as SorterResult<Customer> | undefined;
            const key = s?.columnKey as string | undefined;
            const sort = s?.order && key ? ((s.order === 'descend' ? `-${key}` : key) as CustomerSort) : undefined;
            if (sort !== filters.sort) setFilters({ ...filters, sort });
          }}
          data-testid="customers-table"
        />
        <LoadMore
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
          shown={customers.length}
        />
      </Card>
      {dialog === 'create' && (
        <CustomerFormDrawer
          onClose={() => setDialog(null)}
          onSaved={(customer) => void navigate(`/customers/${customer.id}`)}
        />
      )}
      {dialog === 'transfer' && (
        <TransferModal customerIds={selected} onClose={() => setDialog(null)} onDone={() => setSelected([])} />
      )}
      {dialog === 'tag' && <BulkTagModal customerIds={selected} onClose={() => setDialog(null)} onDone={() => setSelected([])} />}
      {dialog === 'disputes' && <DisputesDrawer onClose={() => setDialog(null)} />}
    </>
  );
}
