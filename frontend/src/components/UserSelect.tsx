import { Select } from 'antd';
import { useMemo } from 'react';

import { useUserDirectory } from '../features/users';

interface UserOption {
  value: string;
  label: string;
  search: string;
}

/** Picks a workspace user by name (active users only unless `includeInactive`). */
export function UserSelect({
  value,
  onChange,
  exclude,
  includeInactive = false,
  placeholder,
  allowClear = true,
  id,
  style,
  'data-testid': testId,
}: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  exclude?: readonly string[];
  includeInactive?: boolean;
  placeholder?: string;
  allowClear?: boolean;
  id?: string;
  style?: React.CSSProperties;
  'data-testid'?: string;
}) {
  const directory = useUserDirectory();
  const options = useMemo((): UserOption[] => {
    const skip = new Set(exclude ?? []);
    return directory.users
      .filter((user) => (includeInactive || user.is_active) && !skip.has(user.id))
      .map((user) => ({ value: user.id, label: user.name, search: `${user.name} ${user.email}`.toLowerCase() }));
  }, [directory.users, exclude, includeInactive]);
  return (
    <Select<string, UserOption>
      id={id}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      options={options}
      loading={directory.isPending}
      allowClear={allowClear}
      showSearch
      filterOption={(input, option) => (option?.search ?? '').includes(input.trim().toLowerCase())}
      placeholder={placeholder}
      style={{ width: '100%', ...style }}
      data-testid={testId}
    />
  );
}
