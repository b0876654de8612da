import { Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useDebounced } from '../../lib/useDebounced';
import { useCustomer, useCustomerSearch } from '../customers/api';

/** Picks a customer in your scope by typing part of its name, phone or e-mail. */
export function CustomerSelect({
  value,
  onChange,
  id,
  disabled,
  'data-testid': testId,
}: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  id?: string;
  disabled?: boolean;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 300);
  const found = useCustomerSearch(q);
  // The chosen customer keeps its label even when the current search does not list it.
  const chosen = useCustomer(value ?? undefined);
  const options = useMemo(() => {
    const rows = found.data ?? [];
    const list = rows.map((c) => ({ value: c.id, label: c.name }));
    if (chosen.data && !rows.some((c) => c.id === chosen.data.id)) {
      list.unshift({ value: chosen.data.id, label: chosen.data.name });
    }
    return list;
  }, [found.data, chosen.data]);
  return (
    <Select<string>
      id={id}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      showSearch
      filterOption={false}
      onSearch={setSearch}
      options={options}
      loading={found.isFetching}
      allowClear
      disabled={disabled}
      placeholder={t('deals.form.customerPlaceholder')}
      notFoundContent={found.isFetching ? t('app.loading') : t('deals.form.noCustomer')}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}
