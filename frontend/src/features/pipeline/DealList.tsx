import { SearchOutlined } from '@ant-design/icons';
import { DatePicker, Flex, Input, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { DealStatus, Opportunity, OpportunitySort, Pipeline } from '../../api/types';
import { LoadMore } from '../../components/LoadMore';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDate, formatDateTime } from '../../lib/dates';
import { useDebounced } from '../../lib/useDebounced';
import { useUserDirectory } from '../users';
import { type BoardFilters, type DealListFilters, useOpportunityList } from './api';
import { kindColor, stageName } from './labels';
import { formatMoney } from './money';

const SORTABLE = new Set(['name', 'amount', 'expected_close_date', 'stage_entered_at', 'updated_at']);

function sortOrder(sort: OpportunitySort | undefined, key: string): 'ascend' | 'descend' | null {
  if (sort === key) return 'ascend';
  if (sort === `-${key}`) return 'descend';
  return null;
}

/** The deals of a pipeline as a table: text search, stage, status, rotting and close-date filters. */
export function DealList({ pipeline, scope }: { pipeline: Pipeline; scope: BoardFilters }) {
  const { t, i18n } = useTranslation();
  const users = useUserDirectory();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const [stageId, setStageId] = useState<string | undefined>();
  const [status, setStatus] = useState<DealStatus | undefined>('open');
  const [rotting, setRotting] = useState<boolean | undefined>();
  const [close, setClose] = useState<[string, string] | null>(null);
  const [sort, setSort] = useState<OpportunitySort | undefined>('-updated_at');

  const filters: DealListFilters = {
    pipeline_id: pipeline.id,
    q: q || undefined,
    stage_id: stageId,
    status,
    rotting,
    owner_id: scope.owner_id,
    team_id: scope.team_id,
    close_after: close?.[0],
    close_before: close?.[1],
    sort,
  };
  const list = useOpportunityList(filters);
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  const stages = new Map(pipeline.stages.map((s) => [s.id, s]));

  const sorter = (key: string) =>
    SORTABLE.has(key) ? { sorter: true, sortOrder: sortOrder(sort, key), showSorterTooltip: false } : {};

  const columns: TableColumnsType<Opportunity> = [
    {
      key: 'name',
      title: t('deals.fields.name'),
      dataIndex: 'name',
      width: 260,
      fixed: 'left',
      ...sorter('name'),
      render: (name: string, deal) => (
        <Flex vertical gap={0}>
          <Link to={`/opportunities/${deal.id}`} data-testid="deal-link">
            <Typography.Text strong style={{ color: 'inherit' }}>
              {name}
            </Typography.Text>
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {deal.customer_name ?? ''}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'stage',
      title: t('deals.fields.stage'),
      width: 140,
      render: (_: unknown, deal) => {
        const stage = stages.get(deal.stage_id);
        return (
          <Flex gap={4} wrap>
            <Tag color={kindColor(deal.status)} bordered={false}>
              {stage ? stageName(stage, i18n.language) : '—'}
            </Tag>
            {deal.rotting && <Tag color="orange">{t('pipeline.card.rotting')}</Tag>}
          </Flex>
        );
      },
    },
    {
      key: 'amount',
      title: t('deals.fields.amount'),
      dataIndex: 'amount',
      align: 'right',
      width: 150,
      ...sorter('amount'),
      render: (amount: string, deal) => formatMoney(amount, deal.currency, i18n.language),
    },
    {
      key: 'probability',
      title: t('deals.fields.probability'),
      dataIndex: 'probability',
      width: 80,
      align: 'right',
      render: (p: number) => `${p}%`,
    },
    {
      key: 'owner',
      title: t('deals.fields.owner'),
      dataIndex: 'owner_id',
      width: 120,
      render: (id: string | null) => (id ? (users.byId.get(id)?.name ?? '…') : '—'),
    },
    {
      key: 'expected_close_date',
      title: t('deals.fields.expected_close_date'),
      dataIndex: 'expected_close_date',
      width: 130,
      ...sorter('expected_close_date'),
      render: (value: string | null, deal) =>
        value ? (
          <Typography.Text type={deal.status === 'open' && dayjs(value).isBefore(dayjs(), 'day') ? 'danger' : undefined}>
            {formatDate(value)}
          </Typography.Text>
        ) : null,
    },
    {
      key: 'stage_entered_at',
      title: t('deals.fields.stage_entered_at'),
      dataIndex: 'stage_entered_at',
      width: 150,
      ...sorter('stage_entered_at'),
      render: (value: string) => formatDateTime(value),
    },
    {
      key: 'updated_at',
      title: t('deals.fields.updated_at'),
      dataIndex: 'updated_at',
      width: 150,
      ...sorter('updated_at'),
      render: (value: string) => formatDateTime(value),
    },
  ];

  return (
    <>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t('pipeline.list.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          style={{ width: 220 }}
          data-testid="deal-search"
        />
        <Select
          allowClear
          placeholder={t('deals.fields.stage')}
          value={stageId}
          onChange={setStageId}
          style={{ width: 160 }}
          options={pipeline.stages.map((s) => ({ value: s.id, label: stageName(s, i18n.language) }))}
        />
        <Select<DealStatus>
          allowClear
          placeholder={t('deals.fields.status')}
          value={status}
          onChange={setStatus}
          style={{ width: 120 }}
          options={(['open', 'won', 'lost'] as const).map((s) => ({ value: s, label: t(`deals.statuses.${s}`) }))}
        />
        <Select<'yes' | 'no'>
          allowClear
          placeholder={t('pipeline.list.rotting')}
          value={rotting === undefined ? undefined : rotting ? 'yes' : 'no'}
          onChange={(v) => setRotting(v === undefined ? undefined : v === 'yes')}
          style={{ width: 130 }}
          options={[
            { value: 'yes', label: t('pipeline.list.rottingOnly') },
            { value: 'no', label: t('pipeline.list.notRotting') },
          ]}
        />
        <DatePicker.RangePicker
          placeholder={[t('pipeline.list.closeFrom'), t('pipeline.list.closeTo')]}
          onChange={(range) =>
            setClose(
              range?.[0] && range[1]
                ? [range[0].format('YYYY-MM-DD'), range[1].add(1, 'day').format('YYYY-MM-DD')]
                : null,
            )
          }
        />
      </Flex>
      {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
      <Table<Opportunity>
        rowKey="id"
        size="middle"
        dataSource={rows}
        loading={list.isPending || (list.isFetching && !list.isFetchingNextPage && list.isPlaceholderData)}
        pagination={false}
        columns={columns}
        scroll={{ x: 'max-content' }}
        onChange={(_p, _f, sorterArg) => {
          const s = (Array.isArray(sorterArg) ? sorterArg[0] : sorterArg) as SorterResult<Opportunity> | undefined;
          const key = s?.columnKey as string | undefined;
          setSort(s?.order && key ? ((s.order === 'descend' ? `-${key}` : key) as OpportunitySort) : undefined);
        }}
        data-testid="deals-table"
      />
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onLoadMore={() => void list.fetchNextPage()}
        shown={rows.length}
      />
    </>
  );
}
