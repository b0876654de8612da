import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Flex, Select, Switch, Table, Tabs, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import type { Installment } from '../../api/types';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { UserSelect } from '../../components/UserSelect';
import { formatDate } from '../../lib/dates';
import { CustomerSelect } from '../contracts/CustomerSelect';
import { formatMoney } from '../contracts/money';
import { useUserDirectory } from '../users';
import { AgingPanel } from './AgingPanel';
import { type ReceivableFilters, useReceivableList } from './api';
import { CashInPanel } from './CashInPanel';
import { InstallmentStatusTag } from './InstallmentStatusTag';
import { INSTALLMENT_STATUSES } from './statuses';

const TABS = ['list', 'aging', 'cash-in'] as const;
type TabKey = (typeof TABS)[number];

function ReceivableList() {
  const { t } = useTranslation();
  const users = useUserDirectory();
  const [filters, setFilters] = useState<ReceivableFilters>({});
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const list = useReceivableList(filters);
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  const overdueOnly = filters.status === 'overdue';

  const columns: TableColumnsType<Installment> = [
    {
      key: 'contract',
      title: t('receivables.fields.contract'),
      fixed: 'left',
      width: 160,
      render: (_: unknown, row) => (
        <Link to={`/contracts/${row.contract_id}`} data-testid="receivable-contract">
          {row.contract_number}
        </Link>
      ),
    },
    {
      key: 'customer',
      title: t('receivables.fields.customer'),
      width: 200,
      render: (_: unknown, row) => <Link to={`/customers/${row.customer_id}`}>{row.customer_name ?? '…'}</Link>,
    },
    { key: 'number', title: t('contracts.plan.number'), width: 70, render: (_: unknown, row) => t('contracts.plan.nth', { n: row.number }) },
    { key: 'due', title: t('contracts.plan.dueDate'), width: 110, render: (_: unknown, row) => formatDate(row.due_date) },
    { key: 'amount', title: t('receivables.fields.amount'), align: 'right', width: 130, render: (_: unknown, row) => formatMoney(row.amount, row.currency) },
    { key: 'paid', title: t('receivables.fields.paid'), align: 'right', width: 130, render: (_: unknown, row) => formatMoney(row.paid, row.currency) },
    {
      key: 'outstanding',
      title: t('receivables.fields.outstanding'),
      align: 'right',
      width: 130,
      render: (_: unknown, row) => (
        <Typography.Text strong type={row.status === 'overdue' ? 'danger' : undefined}>
          {formatMoney(row.outstanding, row.currency)}
        </Typography.Text>
      ),
    },
    {
      key: 'status',
      title: t('receivables.fields.status'),
      width: 140,
      render: (_: unknown, row) => <InstallmentStatusTag status={row.status} daysOverdue={row.days_overdue} />,
    },
    { key: 'owner', title: t('receivables.fields.owner'), width: 120, render: (_: unknown, row) => (row.owner_id ? (users.byId.get(row.owner_id)?.name ?? '…') : '—') },
  ];

  return (
    <>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }} data-testid="receivable-filters">
        <Flex align="center" gap={6}>
          <Switch
            checked={overdueOnly}
            onChange={(on) => setFilters({ ...filters, status: on ? 'overdue' : undefined })}
            data-testid="overdue-only"
          />
          <Typography.Text>{t('receivables.overdueOnly')}</Typography.Text>
        </Flex>
        <Select
          allowClear
          placeholder={t('receivables.fields.status')}
          value={filters.status ?? undefined}
          onChange={(status) => setFilters({ ...filters, status })}
          options={INSTALLMENT_STATUSES.map((s) => ({ value: s, label: t(`receivables.statuses.${s}`) }))}
          style={{ width: 130 }}
        />
        <UserSelect
          placeholder={t('receivables.fields.owner')}
          value={filters.owner_id ?? null}
          onChange={(owner) => setFilters({ ...filters, owner_id: owner ?? undefined })}
          includeInactive
          style={{ width: 160 }}
        />
        <CustomerSelect
          placeholder={t('receivables.fields.customer')}
          value={filters.customer_id ?? null}
          onChange={(customer) => setFilters({ ...filters, customer_id: customer ?? undefined })}
          style={{ width: 220 }}
        />
        <DatePicker.RangePicker
          value={range}
          allowEmpty={[true, true]}
          placeholder={[t('receivables.dueFrom'), t('receivables.dueTo')]}
          onChange={(value) => {
            setRange(value);
            setFilters({
              ...filters,
              due_from: value?.[0]?.format('YYYY-MM-DD'),
              due_to: value?.[1]?.format('YYYY-MM-DD'),
            });
          }}
        />
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />
      </Flex>
      {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
      <Table<Installment>
        rowKey="id"
        size="middle"
        dataSource={rows}
        columns={columns}
        loading={list.isPending || (list.isFetching && !list.isFetchingNextPage && list.isPlaceholderData)}
        pagination={false}
        scroll={{ x: 'max-content' }}
        sticky
        onRow={(row) => ({ 'data-testid': 'receivable-row', 'data-status': row.status }) as React.HTMLAttributes<HTMLElement>}
        data-testid="receivables-table"
      />
      <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onLoadMore={() => void list.fetchNextPage()} shown={rows.length} />
    </>
  );
}

/** Receivables: the installments list, aging with DSO, and the cash-in calendar. */
export default function ReceivablesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const raw = params.get('tab');
  const tab: TabKey = (TABS as readonly string[]).includes(raw ?? '') ? (raw as TabKey) : 'list';
  return (
    <>
      <PageHeader title={t('receivables.title')} description={t('receivables.description')} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'list' ? {} : { tab: key }, { replace: true })}
          destroyOnHidden
          items={[
            { key: 'list', label: t('receivables.tabs.list'), children: <ReceivableList /> },
            { key: 'aging', label: t('receivables.tabs.aging'), children: <AgingPanel /> },
            { key: 'cash-in', label: t('receivables.tabs.cashIn'), children: <CashInPanel /> },
          ]}
        />
      </Card>
    </>
  );
}
