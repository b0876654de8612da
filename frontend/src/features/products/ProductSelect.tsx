import { Flex, Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Product } from '../../api/types';
import { useDebounced } from '../../lib/useDebounced';
import { formatMoney } from '../pipeline/money';
import { useProduct, useProductSearch } from './api';

interface Option {
  value: string;
  label: React.ReactNode;
  product: Product;
}

/** Picks an active catalogue product by name or SKU; `onPick` gets the whole product. */
export function ProductSelect({
  value,
  onChange,
  onPick,
  id,
  status,
  'data-testid': testId,
}: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  onPick?: (product: Product | null) => void;
  id?: string;
  status?: 'error' | 'warning';
  'data-testid'?: string;
}) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const found = useProductSearch(q);
  const chosen = useProduct(value);
  const options = useMemo((): Option[] => {
    const rows = [...(found.data ?? [])];
    if (chosen.data && !rows.some((p) => p.id === chosen.data.id)) rows.unshift(chosen.data);
    return rows.map((product) => ({
      value: product.id,
      product,
      label: (
        <Flex justify="space-between" gap={8}>
          <Typography.Text ellipsis>
            {product.name} <Typography.Text type="secondary">{product.sku}</Typography.Text>
          </Typography.Text>
          <Typography.Text type="secondary">{formatMoney(product.list_price, product.currency, i18n.language)}</Typography.Text>
        </Flex>
      ),
    }));
  }, [found.data, chosen.data, i18n.language]);
  return (
    <Select<string, Option>
      id={id}
      value={value ?? undefined}
      onChange={(next, option) => {
        onChange?.(next ?? null);
        onPick?.(option && !Array.isArray(option) ? option.product : null);
      }}
      showSearch
      filterOption={false}
      onSearch={setSearch}
      options={options}
      labelRender={({ value: v }) => options.find((o) => o.value === v)?.product.name ?? chosen.data?.name ?? v}
      loading={found.isFetching}
      allowClear
      status={status}
      placeholder={t('deals.lines.productPlaceholder')}
      popupMatchSelectWidth={360}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}
