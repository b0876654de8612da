import { Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useDebounced } from '../../lib/useDebounced';
import { useCustomer, useCustomerSearch } from '../customers/api';

interface Option {
  value: string;
  label: string;
}

/**
 * Picks a customer by typing part of its name (server-side search, so it works with a
 * hundred thousand customers); a preset value shows its name even before any search.
 */
export function CustomerSelect({
  value,
  onChange,
  id,
  placeholder,
  disabled,
  allowClear = true,
  knownLabel,
  style,
  'data-testid': testId,
}: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  id?: string;
  placeholder?: string;
  disabled?: boolean;
  allowClear?: boolean;
  /** The name of the preset customer when the caller already has it. */
  knownLabel?: string | null;
  style?: React.CSSProperties;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  // Searched only once the list is opened: filter bars should not query on every page load.
  const [opened, setOpened] = useState(false);
  const q = useDebounced(search, 300);
  const found = useCustomerSearch(q, opened && !disabled);
  const current = useCustomer(value && !knownLabel ? value : undefined);

  const options = useMemo((): Option[] => {
    const list: Option[] = (found.data ?? []).map((c) => ({ value: c.id, label: c.name }));
    if (value && !list.some((o) => o.value === value)) {
      const label = knownLabel ?? current.data?.name ?? '…';
      list.unshift({ value, label });
    }
    return list;
  }, [found.data, value, knownLabel, current.data?.name]);

  return (
    <Select<string, Option>
      id={id}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      options={options}
      showSearch
      filterOption={false}
      onSearch={setSearch}
      onOpenChange={(open) => open && setOpened(true)}
      loading={found.isFetching}
      allowClear={allowClear}
      disabled={disabled}
      placeholder={placeholder ?? t('contracts.customerSearch')}
      notFoundContent={found.isFetching ? t('contracts.searching') : t('common.empty')}
      style={{ width: '100%', ...style }}
      data-testid={testId}
    />
  );
}
