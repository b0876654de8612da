import { Checkbox, Radio, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { SCOPE_MODULES, type ModuleAccess, type ScopeModule, type ScopeSelection } from './scopes';

/** Full access, or none / read / read-and-write per module. A controlled antd form input. */
export function ScopePicker({
  value = { all: false, modules: {} },
  onChange,
  id,
}: {
  value?: ScopeSelection;
  onChange?: (value: ScopeSelection) => void;
  id?: string;
}) {
  const { t } = useTranslation();
  const modules = value.all ? {} : value.modules;
  const setModule = (module: ScopeModule, access: ModuleAccess) =>
    onChange?.({ all: false, modules: { ...modules, [module]: access } });

  return (
    <div id={id}>
      <Checkbox
        checked={value.all}
        onChange={(event) => onChange?.(event.target.checked ? { all: true } : { all: false, modules: {} })}
        data-testid="scope-all"
      >
        {t('apiKeys.fullAccess')}
      </Checkbox>
      <Typography.Paragraph type="secondary" style={{ margin: '4px 0 12px 24px', fontSize: 12 }}>
        {t('apiKeys.fullAccessHelp')}
      </Typography.Paragraph>
      <Table<{ module: ScopeModule }>
        size="small"
        bordered
        pagination={false}
        rowKey="module"
        dataSource={SCOPE_MODULES.map((module) => ({ module }))}
        columns={[
          {
            title: t('apiKeys.module'),
            dataIndex: 'module',
            render: (module: ScopeModule) => t(`modules.${module}`),
          },
          {
            title: t('apiKeys.access'),
            key: 'access',
            render: (_: unknown, { module }) => (
              <Radio.Group
                size="small"
                optionType="button"
                disabled={value.all}
                value={value.all ? 'write' : (modules[module] ?? 'none')}
                onChange={(event) => setModule(module, event.target.value as ModuleAccess)}
                options={[
                  { value: 'none', label: t('apiKeys.scopeNone') },
                  { value: 'read', label: t('apiKeys.scopeRead') },
                  { value: 'write', label: t('apiKeys.scopeWrite') },
                ]}
              />
            ),
          },
        ]}
      />
    </div>
  );
}
