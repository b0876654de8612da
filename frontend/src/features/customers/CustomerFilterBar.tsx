import { FilterOutlined, ReloadOutlined, SettingOutlined } from '@ant-design/icons';
import {
  Badge,
  Button,
  Checkbox,
  DatePicker,
  Divider,
  Flex,
  Form,
  Input,
  Popover,
  Select,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { CustomField } from '../../api/types';
import { UserSelect } from '../../components/UserSelect';
import { CustomFieldControl } from '../custom-fields/CustomFieldInput';
import { RfmTierSelect } from '../customer-value';
import { customFilterValue, fieldLabel, FILTERABLE_TYPES } from '../custom-fields/values';
import { TagSelect } from '../tags';
import { OPTIONAL_COLUMNS } from './columns';
import {
  activeFilterCount,
  CUSTOMER_STATUSES,
  type CustomerFilters,
  type DayRange,
} from './filters';
import { useCustomerLevels } from './settingsApi';

type RangeValue = [Dayjs | null, Dayjs | null] | null;

function toRange(range: DayRange | undefined): RangeValue {
  if (!range) return null;
  return [range[0] ? dayjs(range[0]) : null, range[1] ? dayjs(range[1]) : null];
}

function fromRange(value: RangeValue): DayRange | undefined {
  if (!value || (!value[0] && !value[1])) return undefined;
  return [value[0]?.format('YYYY-MM-DD') ?? null, value[1]?.format('YYYY-MM-DD') ?? null];
}

interface MoreValues {
  province?: string;
  city?: string;
  followed?: RangeValue;
  created?: RangeValue;
  cf?: Record<string, unknown>;
}

/** Region, date ranges and custom fields: the filters that don't fit in the bar. */
function MoreFilters({
  filters,
  fields,
  onApply,
}: {
  filters: CustomerFilters;
  fields: readonly CustomField[];
  onApply: (next: Partial<CustomerFilters>) => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<MoreValues>();
  const filterable = fields.filter((f) => FILTERABLE_TYPES.has(f.type));
  const initial: MoreValues = {
    province: filters.province,
    city: filters.city,
    followed: toRange(filters.followed),
    created: toRange(filters.created),
    cf: Object.fromEntries(
      filterable.map((f): [string, unknown] => {
        const raw = filters.cf?.[f.key];
        if (raw === undefined) return [f.key, undefined];
        if (f.type === 'boolean') return [f.key, raw];
        if (f.type === 'date') return [f.key, dayjs(raw)];
        return [f.key, raw];
      }),
    ),
  };
  const apply = (values: MoreValues) => {
    const cf: Record<string, string> = {};
    for (const field of filterable) {
      const value = customFilterValue(field, values.cf?.[field.key]);
      if (value !== null) cf[field.key] = value;
    }
    onApply({
      province: values.province?.trim() || undefined,
      city: values.city?.trim() || undefined,
      followed: fromRange(values.followed ?? null),
      created: fromRange(values.created ?? null),
      cf,
    });
  };
  return (
    <Form<MoreValues>
      form={form}
      layout="vertical"
      size="small"
      initialValues={initial}
      onFinish={apply}
      style={{ width: 380, maxHeight: 520, overflowY: 'auto', paddingRight: 4 }}
      data-testid="more-filters"
    >
      <Flex gap={8}>
        <Form.Item name="province" label={t('customers.fields.province')} style={{ flex: 1 }}>
          <Input allowClear />
        </Form.Item>
        <Form.Item name="city" label={t('customers.fields.city')} style={{ flex: 1 }}>
          <Input allowClear />
        </Form.Item>
      </Flex>
      <Form.Item name="followed" label={t('customers.filters.followed')}>
        <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="created" label={t('customers.filters.created')}>
        <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
      </Form.Item>
      {filterable.length > 0 && (
        <Divider plain style={{ margin: '4px 0 12px' }}>
          {t('customers.sections.custom')}
        </Divider>
      )}
      {filterable.map((field) => (
        <Form.Item key={field.id} name={['cf', field.key]} label={fieldLabel(field, i18n.language)}>
          {field.type === 'boolean' ? (
            <Select
              allowClear
              options={[
                { value: 'true', label: t('common.yes') },
                { value: 'false', label: t('common.no') },
              ]}
            />
          ) : field.type === 'multi_select' ? (
            <Select allowClear options={field.options.map((o) => ({ value: o, label: o }))} />
          ) : field.type === 'long_text' || field.type === 'text' ? (
            <Input allowClear />
          ) : (
            <CustomFieldControl field={field} />
          )}
        </Form.Item>
      ))}
      <Flex justify="flex-end" gap={8}>
        <Button
          size="small"
          onClick={() => {
            form.setFieldsValue({ province: undefined, city: undefined, followed: undefined, created: undefined, cf: {} });
          }}
        >
          {t('common.reset')}
        </Button>
        <Button size="small" type="primary" htmlType="submit" data-testid="more-filters-apply">
          {t('common.confirm')}
        </Button>
      </Flex>
    </Form>
  );
}

export function CustomerFilterBar({
  filters,
  onChange,
  fields,
  columns,
  onColumnsChange,
  onRefresh,
}: {
  filters: CustomerFilters;
  onChange: (next: CustomerFilters) => void;
  fields: readonly CustomField[];
  columns: readonly string[];
  onColumnsChange: (next: string[]) => void;
  onRefresh: () => void;
}) {
  const { t, i18n } = useTranslation();
  const levels = useCustomerLevels();
  const [moreOpen, setMoreOpen] = useState(false);
  const [q, setQ] = useState(filters.q ?? '');
  const set = (patch: Partial<CustomerFilters>) => onChange({ ...filters, ...patch });
  const { owner_id: _o, status: _s, level: _l, tag: _t, rfm_tier: _r, ...more } = filters;
  const moreCount = activeFilterCount({ ...more, q: undefined });
  const columnOptions = [
    ...OPTIONAL_COLUMNS.map((key) => ({ value: key, label: t(`customers.columns.${key}`) })),
    ...fields.map((f) => ({ value: `cf.${f.key}`, label: fieldLabel(f, i18n.language) })),
  ];

  return (
    <Flex gap={8} wrap style={{ marginBottom: 12 }}>
      <Input.Search
        allowClear
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder={t('customers.searchPlaceholder')}
        onSearch={(value) => set({ q: value.trim() || undefined })}
        enterButton={t('common.search')}
        style={{ width: 250 }}
        data-testid="customer-search"
      />
      <UserSelect
        includeInactive
        value={filters.owner_id}
        onChange={(value) => set({ owner_id: value ?? undefined })}
        placeholder={t('customers.filters.owner')}
        style={{ width: 130 }}
      />
      <Select
        allowClear
        value={filters.status}
        onChange={(value) => set({ status: value })}
        placeholder={t('customers.filters.status')}
        options={CUSTOMER_STATUSES.map((s) => ({ value: s, label: t(`customers.statuses.${s}`) }))}
        style={{ width: 120 }}
      />
      <Select
        allowClear
        value={filters.level}
        onChange={(value) => set({ level: value })}
        placeholder={t('customers.filters.level')}
        options={levels.map((l) => ({ value: l, label: l }))}
        style={{ width: 100 }}
      />
      <TagSelect
        value={filters.tag}
        onChange={(value: string | null) => set({ tag: value ?? undefined })}
        placeholder={t('customers.filters.tag')}
        style={{ width: 120 }}
      />
      <RfmTierSelect value={filters.rfm_tier} onChange={(rfm_tier) => set({ rfm_tier })} style={{ width: 120 }} />
      <Popover
        trigger="click"
        placement="bottomLeft"
        open={moreOpen}
        onOpenChange={setMoreOpen}
        destroyOnHidden
        content={
          <MoreFilters
            filters={filters}
            fields={fields}
            onApply={(patch) => {
              set(patch);
              setMoreOpen(false);
            }}
          />
        }
      >
        <Badge count={moreCount} size="small">
          <Button icon={<FilterOutlined />} data-testid="more-filters-button">
            {t('customers.filters.more')}
          </Button>
        </Badge>
      </Popover>
      <Button
        type="link"
        onClick={() => {
          setQ('');
          onChange({ sort: filters.sort });
        }}
      >
        {t('common.reset')}
      </Button>
      <Flex gap={8} style={{ marginLeft: 'auto' }}>
        <Popover
          trigger="click"
          placement="bottomRight"
          title={t('customers.columns.title')}
          content={
            <Checkbox.Group
              value={[...columns]}
              onChange={(value) => onColumnsChange(value)}
              style={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(110px, auto))', gap: 6 }}
              options={columnOptions}
            />
          }
        >
          <Button icon={<SettingOutlined />} aria-label={t('common.columns')} title={t('common.columns')} data-testid="column-chooser" />
        </Popover>
        <Button icon={<ReloadOutlined />} onClick={onRefresh} aria-label={t('common.refresh')} />
      </Flex>
      {filters.q && !filters.sort && (
        <Typography.Text type="secondary" style={{ width: '100%', fontSize: 12 }}>
          {t('customers.byRelevance')}
        </Typography.Text>
      )}
    </Flex>
  );
}
