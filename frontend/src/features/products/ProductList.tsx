import { DeleteOutlined, EditOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Flex, Input, Popconfirm, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Product, ProductSort } from '../../api/types';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime } from '../../lib/dates';
import { useDebounced } from '../../lib/useDebounced';
import { useSession } from '../auth';
import { dealProblemMessage } from '../pipeline/labels';
import { formatMoney } from '../pipeline/money';
import { type ProductFilters, useDeleteProduct, useProductList } from './api';
import { canManageSales } from './permissions';
import { ProductFormModal } from './ProductFormModal';

const SORTABLE = new Set(['name', 'sku', 'list_price', 'updated_at']);

function sortOrder(sort: ProductSort | undefined, key: string): 'ascend' | 'descend' | null {
  if (sort === key) return 'ascend';
  if (sort === `-${key}`) return 'descend';
  return null;
}

/** The product catalogue: what line items are picked from. Managers and admins keep it. */
export default function ProductList() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useSession();
  const manage = canManageSales(me);
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const [active, setActive] = useState<'active' | 'inactive' | 'all'>('active');
  const [sort, setSort] = useState<ProductSort | undefined>('name');
  const filters: ProductFilters = {
    q: q || undefined,
    active: active === 'all' ? undefined : active === 'active',
    sort,
  };
  const list = useProductList(filters);
  const remove = useDeleteProduct();
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  const [editing, setEditing] = useState<Product | 'new' | null>(null);

  const sorter = (key: string) =>
    SORTABLE.has(key) ? { sorter: true, sortOrder: sortOrder(sort, key), showSorterTooltip: false } : {};

  return (
    <>
      <PageHeader
        title={t('products.title')}
        description={t('products.description')}
        extra={
          manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="product-create">
              {t('products.create')}
            </Button>
          )
        }
      />
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 12 }}>
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('products.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            style={{ width: 280 }}
            data-testid="product-search"
          />
          <Segmented
            value={active}
            onChange={setActive}
            options={[
              { value: 'active', label: t('products.activeOnly') },
              { value: 'inactive', label: t('products.inactiveOnly') },
              { value: 'all', label: t('common.all') },
            ]}
          />
        </Flex>
        {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
        <Table<Product>
          rowKey="id"
          size="middle"
          dataSource={rows}
          loading={list.isPending}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onChange={(_p, _f, sorterArg) => {
            const s = (Array.isArray(sorterArg) ? sorterArg[0] : sorterArg) as SorterResult<Product> | undefined;
            const key = s?.columnKey as string | undefined;
            setSort(s?.order && key ? ((s.order === 'descend' ? `-${key}` : key) as ProductSort) : undefined);
          }}
          columns={[
            { key: 'sku', title: t('products.fields.sku'), dataIndex: 'sku', width: 130, ...sorter('sku') },
            {
              key: 'name',
              title: t('products.fields.name'),
              dataIndex: 'name',
              width: 260,
              ...sorter('name'),
              render: (name: string, p) => (
                <Space size={6}>
                  <Typography.Text strong>{name}</Typography.Text>
                  {!p.active && <Tag bordered={false}>{t('products.inactive')}</Tag>}
                </Space>
              ),
            },
            { key: 'category', title: t('products.fields.category'), dataIndex: 'category', width: 120 },
            { key: 'unit', title: t('products.fields.unit'), dataIndex: 'unit', width: 100 },
            {
              key: 'list_price',
              title: t('products.fields.list_price'),
              dataIndex: 'list_price',
              align: 'right',
              width: 150,
              ...sorter('list_price'),
              render: (price: string, p) => formatMoney(price, p.currency, i18n.language),
            },
            {
              key: 'updated_at',
              title: t('products.fields.updated_at'),
              dataIndex: 'updated_at',
              width: 150,
              ...sorter('updated_at'),
              render: (v: string) => formatDateTime(v),
            },
            ...(manage
              ? [
                  {
                    key: 'actions',
                    title: t('common.actions'),
                    width: 110,
                    render: (_: unknown, p: Product) => (
                      <Space size={0}>
                        <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(p)} aria-label={t('common.edit')} />
                        <Popconfirm
                          title={t('products.deleteConfirm', { name: p.name })}
                          okText={t('common.delete')}
                          cancelText={t('common.cancel')}
                          okButtonProps={{ danger: true }}
                          onConfirm={() =>
                            void remove.mutateAsync(p).then(
                              () => void message.success(t('products.deleted')),
                              (error: unknown) => void message.error(dealProblemMessage(error)),
                            )
                          }
                        >
                          <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
          data-testid="products-table"
        />
        <LoadMore
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
          shown={rows.length}
        />
      </Card>
      {editing && <ProductFormModal product={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </>
  );
}
