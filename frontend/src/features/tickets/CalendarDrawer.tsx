import { CopyOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  AutoComplete,
  Button,
  Card,
  DatePicker,
  Divider,
  Drawer,
  Flex,
  Input,
  Space,
  Switch,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { problemMessage } from '../../lib/problems';
import { useSession } from '../auth';
import { useSaveCalendar } from './api';
import {
  type CalendarDraft,
  draftFromCalendar,
  draftIssues,
  draftToPayload,
  emptyDraft,
  holidayRange,
  mergeHolidays,
  OFFICE_HOURS,
  type PeriodDraft,
  periodsProblem,
  weeklyMinutes,
} from './calendar';
import type { BusinessCalendar } from './types';

const ZONES = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'UTC'];
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
type Weekday = (typeof WEEKDAYS)[number];

function PeriodsEditor({
  periods,
  onChange,
  testId,
}: {
  periods: PeriodDraft[];
  onChange: (next: PeriodDraft[]) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const problem = periodsProblem(periods);
  const set = (i: number, patch: Partial<PeriodDraft>) => onChange(periods.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <Flex vertical gap={4} data-testid={testId}>
      <Flex gap={8} wrap align="center">
        {periods.map((p, i) => (
          <Space.Compact key={i}>
            <Input
              value={p.start}
              onChange={(e) => set(i, { start: e.target.value })}
              maxLength={5}
              placeholder="09:00"
              style={{ width: 68 }}
              status={problem ? 'error' : undefined}
              aria-label={t('tickets.calendars.start')}
            />
            <Input value="–" disabled style={{ width: 28, textAlign: 'center', padding: 0 }} tabIndex={-1} />
            <Input
              value={p.end}
              onChange={(e) => set(i, { end: e.target.value })}
              maxLength={5}
              placeholder="18:00"
              style={{ width: 68 }}
              status={problem ? 'error' : undefined}
              aria-label={t('tickets.calendars.end')}
            />
            <Button icon={<DeleteOutlined />} onClick={() => onChange(periods.filter((_, j) => j !== i))} aria-label={t('common.remove')} />
          </Space.Compact>
        ))}
        {periods.length < 6 && (
          <Button
            size="small"
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => onChange([...periods, periods.length === 0 ? { start: '09:00', end: '18:00' } : { start: '', end: '' }])}
          >
            {t('tickets.calendars.addPeriod')}
          </Button>
        )}
      </Flex>
      {problem && <Typography.Text type="danger">{t(`tickets.calendars.problems.${problem}`)}</Typography.Text>}
    </Flex>
  );
}

/**
 * The business calendar: working hours per weekday (split periods allowed), holidays and
 * make-up working days (调休), in one time zone. SLA clocks only run inside these hours.
 */
export function CalendarDrawer({ calendar, onClose }: { calendar?: BusinessCalendar; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useSession();
  const save = useSaveCalendar();
  const [draft, setDraft] = useState<CalendarDraft>(() => (calendar ? draftFromCalendar(calendar) : emptyDraft(me.workspace.timezone)));
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [rangeName, setRangeName] = useState('');
  const [tried, setTried] = useState(false);
  const issues = useMemo(() => draftIssues(draft), [draft]);
  const hours = weeklyMinutes(draft.weekly) / 60;

  const patch = (next: Partial<CalendarDraft>) => setDraft((d) => ({ ...d, ...next }));
  const setDay = (index: number, periods: PeriodDraft[]) => patch({ weekly: draft.weekly.map((p, i) => (i === index ? periods : p)) });

  const submit = () => {
    setTried(true);
    if (issues.length > 0) return;
    save.mutate(
      { calendar, body: draftToPayload(draft) },
      {
        onSuccess: () => {
          void message.success(t('tickets.calendars.saved'));
          onClose();
        },
        onError: (error) => void message.error(problemMessage(error)),
      },
    );
  };

  const issueText = (issue: (typeof issues)[number]): string => {
    switch (issue.where) {
      case 'name':
        return t('tickets.calendars.nameRequired');
      case 'weekly':
        return t('tickets.calendars.problems.noHours');
      case 'weekday':
        return `${t(`tickets.weekdays.${(issue.index + 1) as Weekday}`)}: ${t(`tickets.calendars.problems.${issue.problem}`)}`;
      case 'holiday':
        return `${t('tickets.calendars.holidays')} #${issue.index + 1}: ${t(`tickets.calendars.problems.${issue.problem}`)}`;
      case 'workday':
        return `${t('tickets.calendars.workdays')} #${issue.index + 1}: ${t(`tickets.calendars.problems.${issue.problem}`)}`;
      case 'both':
        return t('tickets.calendars.problems.holidayAndWorkday', { date: issue.date });
    }
  };

  return (
    <Drawer
      open
      width={820}
      title={calendar ? t('tickets.calendars.editTitle', { name: calendar.name }) : t('tickets.calendars.createTitle')}
      onClose={onClose}
      maskClosable={!save.isPending}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={submit} data-testid="calendar-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Flex vertical gap={16} data-testid="calendar-form">
        {tried && issues.length > 0 && (
          <Alert type="error" showIcon message={t('tickets.calendars.fix')} description={issues.map((i) => <div key={JSON.stringify(i)}>{issueText(i)}</div>)} />
        )}
        <Flex gap={16} wrap>
          <Flex vertical gap={4} style={{ flex: '1 1 280px' }}>
            <Typography.Text>{t('tickets.calendars.name')}</Typography.Text>
            <Input
              value={draft.name}
              onChange={(e) => patch({ name: e.target.value })}
              maxLength={120}
              placeholder={t('tickets.calendars.namePlaceholder')}
              status={tried && !draft.name.trim() ? 'error' : undefined}
              data-testid="calendar-name"
            />
          </Flex>
          <Flex vertical gap={4} style={{ flex: '1 1 220px' }}>
            <Typography.Text>{t('tickets.calendars.timezone')}</Typography.Text>
            <AutoComplete
              value={draft.timezone}
              onChange={(timezone: string) => patch({ timezone })}
              options={ZONES.map((z) => ({ value: z }))}
              filterOption={(input, option) => (option?.value ?? '').toLowerCase().includes(input.toLowerCase())}
              data-testid="calendar-timezone"
            />
          </Flex>
        </Flex>

        <Card
          size="small"
          title={t('tickets.calendars.weekly')}
          extra={
            <Space size={4} wrap>
              <Typography.Text type="secondary">{t('tickets.calendars.perWeek', { hours: Math.round(hours * 10) / 10 })}</Typography.Text>
              <Button
                size="small"
                icon={<CopyOutlined />}
                onClick={() => patch({ weekly: draft.weekly.map((p, i) => (i > 0 && i < 5 ? draft.weekly[0].map((x) => ({ ...x })) : p)) })}
              >
                {t('tickets.calendars.copyMonday')}
              </Button>
            </Space>
          }
        >
          <Flex vertical gap={10}>
            {WEEKDAYS.map((day) => {
              const periods = draft.weekly[day - 1];
              const working = periods.length > 0;
              return (
                <Flex key={day} gap={12} align="flex-start" data-testid={`weekday-${day}`}>
                  <Flex align="center" gap={8} style={{ width: 120, paddingTop: 4, flex: 'none' }}>
                    <Switch
                      size="small"
                      checked={working}
                      onChange={(on) => setDay(day - 1, on ? OFFICE_HOURS.map((p) => ({ ...p })) : [])}
                      aria-label={t(`tickets.weekdays.${day}`)}
                    />
                    <Typography.Text strong={working} type={working ? undefined : 'secondary'}>
                      {t(`tickets.weekdays.${day}`)}
                    </Typography.Text>
                  </Flex>
                  {working ? (
                    <PeriodsEditor periods={periods} onChange={(next) => setDay(day - 1, next)} testId={`weekday-${day}-periods`} />
                  ) : (
                    <Typography.Text type="secondary" style={{ paddingTop: 4 }}>
                      {t('tickets.calendars.dayOff')}
                    </Typography.Text>
                  )}
                </Flex>
              );
            })}
          </Flex>
        </Card>

        <Card size="small" title={t('tickets.calendars.holidays')} extra={<Typography.Text type="secondary">{t('tickets.calendars.holidaysHelp')}</Typography.Text>}>
          <Flex vertical gap={8}>
            <Flex gap={8} wrap>
              <DatePicker.RangePicker value={range} onChange={(value) => setRange(value)} />
              <Input value={rangeName} onChange={(e) => setRangeName(e.target.value)} placeholder={t('tickets.calendars.holidayName')} maxLength={60} style={{ width: 180 }} />
              <Button
                icon={<PlusOutlined />}
                disabled={!range?.[0] || !range?.[1]}
                onClick={() => {
                  if (!range?.[0] || !range[1]) return;
                  patch({ holidays: mergeHolidays(draft.holidays, holidayRange(range[0].format('YYYY-MM-DD'), range[1].format('YYYY-MM-DD'), rangeName.trim())) });
                  setRange(null);
                  setRangeName('');
                }}
                data-testid="holiday-add"
              >
                {t('tickets.calendars.addHolidays')}
              </Button>
            </Flex>
            {draft.holidays.length === 0 ? (
              <Typography.Text type="secondary">{t('tickets.calendars.noHolidays')}</Typography.Text>
            ) : (
              <Flex gap={6} wrap data-testid="holiday-list">
                {draft.holidays.map((h) => (
                  <Button
                    key={h.date}
                    size="small"
                    icon={<DeleteOutlined />}
                    iconPosition="end"
                    onClick={() => patch({ holidays: draft.holidays.filter((x) => x.date !== h.date) })}
                    title={t('common.remove')}
                  >
                    {h.date}
                    {h.name ? ` ${h.name}` : ''}
                  </Button>
                ))}
              </Flex>
            )}
          </Flex>
        </Card>

        <Card size="small" title={t('tickets.calendars.workdays')} extra={<Typography.Text type="secondary">{t('tickets.calendars.workdaysHelp')}</Typography.Text>}>
          <Flex vertical gap={10}>
            {draft.workdays.map((w, index) => (
              <Flex key={index} gap={8} wrap align="flex-start" data-testid="workday-row">
                <DatePicker
                  value={w.date ? dayjs(w.date) : null}
                  onChange={(d) => patch({ workdays: draft.workdays.map((x, j) => (j === index ? { ...x, date: d ? d.format('YYYY-MM-DD') : '' } : x)) })}
                />
                <Input
                  value={w.name}
                  onChange={(e) => patch({ workdays: draft.workdays.map((x, j) => (j === index ? { ...x, name: e.target.value } : x)) })}
                  placeholder={t('tickets.calendars.workdayName')}
                  maxLength={60}
                  style={{ width: 150 }}
                />
                <PeriodsEditor
                  periods={w.periods}
                  onChange={(periods) => patch({ workdays: draft.workdays.map((x, j) => (j === index ? { ...x, periods } : x)) })}
                  testId={`workday-${index}-periods`}
                />
                <Button
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  onClick={() => patch({ workdays: draft.workdays.filter((_, j) => j !== index) })}
                  aria-label={t('common.remove')}
                />
              </Flex>
            ))}
            <Divider style={{ margin: 0 }} />
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => patch({ workdays: [...draft.workdays, { date: '', name: '', periods: OFFICE_HOURS.map((p) => ({ ...p })) }] })}
              style={{ alignSelf: 'flex-start' }}
              data-testid="workday-add"
            >
              {t('tickets.calendars.addWorkday')}
            </Button>
          </Flex>
        </Card>
      </Flex>
    </Drawer>
  );
}
