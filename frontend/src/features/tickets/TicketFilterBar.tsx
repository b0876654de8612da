import { ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Input, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { UserSelect } from '../../components/UserSelect';
import { useTicketSettings } from './api';
import { isFiltered, type TicketFilters } from './filters';
import { CHANNELS, PRIORITIES, TICKET_STATUSES, typeLabel } from './statuses';

/** Text search, status (or open / done), priority, channel, type, agent and SLA breaches. */
export function TicketFilterBar({
  filters,
  onChange,
  onRefresh,
}: {
  filters: TicketFilters;
  onChange: (next: TicketFilters) => void;
  onRefresh: () => void;
}) {
  const { t } = useTranslation();
  const settings = useTicketSettings();
  const [q, setQ] = useState(filters.q ?? '');
  return (
    <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="ticket-filters">
      <Input.Search
        allowClear
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder={t('tickets.searchPlaceholder')}
        onSearch={(value) => onChange({ ...filters, q: value.trim() || undefined })}
        style={{ width: 240 }}
        data-testid="ticket-search"
      />
      <Select
        allowClear
        value={filters.status}
        placeholder={t('tickets.fields.status')}
        onChange={(status) => onChange({ ...filters, status })}
        options={[
          { value: 'open', label: t('tickets.statusGroups.open') },
          { value: 'done', label: t('tickets.statusGroups.done') },
          ...TICKET_STATUSES.map((s) => ({ value: s, label: t(`tickets.statuses.${s}`) })),
        ]}
        style={{ width: 130 }}
        data-testid="ticket-status-filter"
      />
      <Select
        allowClear
        value={filters.priority}
        placeholder={t('tickets.fields.priority')}
        onChange={(priority) => onChange({ ...filters, priority })}
        options={PRIORITIES.map((p) => ({ value: p, label: t(`tickets.priorities.${p}`) }))}
        style={{ width: 110 }}
      />
      <Select
        allowClear
        value={filters.channel}
        placeholder={t('tickets.fields.channel')}
        onChange={(channel) => onChange({ ...filters, channel })}
        options={CHANNELS.map((c) => ({ value: c, label: t(`tickets.channels.${c}`) }))}
        style={{ width: 120 }}
      />
      <Select
        allowClear
        value={filters.type}
        placeholder={t('tickets.fields.type')}
        onChange={(type) => onChange({ ...filters, type })}
        options={(settings.data?.types ?? []).map((type) => ({ value: type, label: typeLabel(type) }))}
        loading={settings.isPending}
        style={{ width: 120 }}
      />
      <UserSelect
        placeholder={t('tickets.fields.assignee')}
        value={filters.assignee_id ?? null}
        onChange={(assignee) => onChange({ ...filters, assignee_id: assignee ?? undefined })}
        includeInactive
        style={{ width: 150 }}
      />
      <Select
        allowClear
        value={filters.breached === undefined ? undefined : String(filters.breached)}
        placeholder={t('tickets.fields.sla')}
        onChange={(value?: string) => onChange({ ...filters, breached: value === undefined ? undefined : value === 'true' })}
        options={[
          { value: 'true', label: t('tickets.breachedFilter.yes') },
          { value: 'false', label: t('tickets.breachedFilter.no') },
        ]}
        style={{ width: 120 }}
      />
      {isFiltered(filters) && (
        <Button
          type="link"
          onClick={() => {
            setQ('');
            onChange({ queue: filters.queue, sort: filters.sort });
          }}
        >
          {t('common.reset')}
        </Button>
      )}
      <Button icon={<ReloadOutlined />} onClick={onRefresh} aria-label={t('common.refresh')} />
    </Flex>
  );
}
