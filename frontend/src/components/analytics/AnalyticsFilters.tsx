/**
 * The filter bar every analytics page shares: period (kind + picker), team and owner.
 * Values are controlled by the page (keep them in the URL search params when useful).
 */
import { DatePicker, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';

import { TeamSelect } from '../TeamSelect';
import { UserSelect } from '../UserSelect';
import { PERIOD_KINDS, dayOf, kindOf, periodLabel, type PeriodKind } from './period';

export interface AnalyticsFilterValue {
  period: string;
  teamId?: string | null;
  ownerId?: string | null;
}

export function AnalyticsFilters({
  value,
  onChange,
  kinds = PERIOD_KINDS,
  showTeam = true,
  showOwner = true,
}: {
  value: AnalyticsFilterValue;
  onChange: (value: AnalyticsFilterValue) => void;
  kinds?: readonly PeriodKind[];
  showTeam?: boolean;
  showOwner?: boolean;
}) {
  const { t } = useTranslation();
  const kind = kindOf(value.period);
  const picker = kind === 'day' ? 'date' : kind;
  return (
    <Space wrap data-testid="analytics-filters">
      <Select<PeriodKind>
        aria-label={t('analyticsFilters.periodKind')}
        value={kind}
        style={{ width: 110 }}
        options={kinds.map((k) => ({ value: k, label: t(`analyticsFilters.kinds.${k}`) }))}
        onChange={(next) => onChange({ ...value, period: periodLabel(next, dayOf(value.period)) })}
      />
      <DatePicker
        aria-label={t('analyticsFilters.period')}
        picker={picker}
        allowClear={false}
        value={dayOf(value.period)}
        onChange={(day: Dayjs | null) => day && onChange({ ...value, period: periodLabel(kind, day) })}
        format={() => value.period}
      />
      {showTeam && (
        <div style={{ minWidth: 180 }}>
          <TeamSelect
            value={value.teamId ?? null}
            placeholder={t('analyticsFilters.team')}
            onChange={(teamId) => onChange({ ...value, teamId })}
          />
        </div>
      )}
      {showOwner && (
        <UserSelect
          value={value.ownerId ?? null}
          placeholder={t('analyticsFilters.owner')}
          style={{ minWidth: 160 }}
          onChange={(ownerId) => onChange({ ...value, ownerId })}
        />
      )}
    </Space>
  );
}
