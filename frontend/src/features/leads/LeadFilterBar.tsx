import { ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Input, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useCampaignDirectory } from '../campaigns/api';
import { useUserDirectory } from '../users';
import { isFiltered, type LeadFilters, UNASSIGNED } from './filters';
import { LEAD_STATUSES } from './statuses';

/** Text search, status (list view), owner (or nobody), source and campaign. */
export function LeadFilterBar({
  filters,
  onChange,
  showStatus,
  onRefresh,
}: {
  filters: LeadFilters;
  onChange: (next: LeadFilters) => void;
  showStatus: boolean;
  onRefresh: () => void;
}) {
  const { t } = useTranslation();
  const users = useUserDirectory();
  const campaigns = useCampaignDirectory();
  const [q, setQ] = useState(filters.q ?? '');
  const [source, setSource] = useState(filters.source ?? '');
  const applySource = () => {
    const next = source.trim() || undefined;
    if (next !== filters.source) onChange({ ...filters, source: next });
  };

  return (
    <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="lead-filters">
      <Input.Search
        allowClear
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder={t('leads.searchPlaceholder')}
        onSearch={(q) => onChange({ ...filters, q: q.trim() || undefined })}
        style={{ width: 260 }}
        data-testid="lead-search"
      />
      {showStatus && (
        <Select
          allowClear
          value={filters.status}
          placeholder={t('leads.fields.status')}
          onChange={(status) => onChange({ ...filters, status })}
          options={LEAD_STATUSES.map((s) => ({ value: s, label: t(`leads.statuses.${s}`) }))}
          style={{ width: 130 }}
        />
      )}
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        value={filters.owner}
        placeholder={t('leads.fields.owner')}
        onChange={(owner) => onChange({ ...filters, owner })}
        options={[
          { value: UNASSIGNED, label: t('leads.unassigned') },
          ...users.users.map((u) => ({ value: u.id, label: u.name })),
        ]}
        style={{ width: 150 }}
        data-testid="lead-owner-filter"
      />
      <Input
        allowClear
        value={source}
        onChange={(e) => {
          setSource(e.target.value);
          // The clear button empties the filter at once; typing applies on Enter or leaving.
          if (e.type !== 'change' && filters.source) onChange({ ...filters, source: undefined });
        }}
        onPressEnter={applySource}
        onBlur={applySource}
        placeholder={t('leads.fields.source')}
        style={{ width: 140 }}
      />
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        value={filters.campaign_id}
        placeholder={t('leads.fields.campaign')}
        onChange={(campaign_id) => onChange({ ...filters, campaign_id })}
        options={campaigns.campaigns.map((c) => ({ value: c.id, label: c.name }))}
        loading={campaigns.isPending}
        style={{ width: 200 }}
      />
      {isFiltered(filters) && (
        <Button
          type="link"
          onClick={() => {
            setQ('');
            setSource('');
            onChange({ sort: filters.sort, status: filters.status });
          }}
        >
          {t('common.reset')}
        </Button>
      )}
      <Button icon={<ReloadOutlined />} onClick={onRefresh} aria-label={t('common.refresh')} />
    </Flex>
  );
}
