import { CheckCircleOutlined, ClockCircleOutlined, ExclamationCircleOutlined, PauseCircleOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { formatDateTime } from '../../lib/dates';
import { type ClockTone, clockView, DEFAULT_WARNING_MINUTES } from './sla';
import { useDurationText } from './useDurationText';
import type { SlaClock } from './types';

const TONE: Record<ClockTone, { color: string; icon: ReactNode }> = {
  ok: { color: 'blue', icon: <ClockCircleOutlined /> },
  warning: { color: 'warning', icon: <ExclamationCircleOutlined /> },
  breached: { color: 'error', icon: <ExclamationCircleOutlined /> },
  met: { color: 'success', icon: <CheckCircleOutlined /> },
  paused: { color: 'default', icon: <PauseCircleOutlined /> },
};

/**
 * One SLA clock as a coloured tag: time left (blue, amber inside the warning lead), overdue
 * (red), met (green) or paused (grey). `now` comes from useNow so the text keeps counting.
 */
export function SlaBadge({
  clock,
  which,
  now,
  warningMinutes = DEFAULT_WARNING_MINUTES,
  short = false,
}: {
  clock: SlaClock;
  which: 'firstResponse' | 'resolution';
  now: number;
  warningMinutes?: number;
  /** Without the clock's name (a table column already says it). */
  short?: boolean;
}) {
  const { t } = useTranslation();
  const duration = useDurationText();
  const view = clockView(clock, now, warningMinutes);
  if (view.kind === 'none') return null;
  const label = t(`tickets.sla.${which}`);
  let text: string;
  switch (view.kind) {
    case 'left':
      text = t('tickets.sla.left', { time: duration(view.ms) });
      break;
    case 'overdue':
      text = t('tickets.sla.overdue', { time: duration(view.ms) });
      break;
    case 'met':
      text = t('tickets.sla.met');
      break;
    case 'metLate':
      text = t('tickets.sla.metLate');
      break;
    case 'paused':
      text = view.ms === null ? t('tickets.sla.paused') : t('tickets.sla.pausedLeft', { time: duration(view.ms) });
      break;
  }
  const tip = clock.met_at
    ? t('tickets.sla.metAt', { time: formatDateTime(clock.met_at) })
    : clock.due_at
      ? t('tickets.sla.dueAt', { time: formatDateTime(clock.due_at) })
      : undefined;
  return (
    <Tooltip title={tip}>
      <Tag
        color={TONE[view.tone].color}
        icon={TONE[view.tone].icon}
        data-testid={`sla-${which}`}
        data-tone={view.tone}
        data-state={clock.state}
        style={{ marginInlineEnd: 0 }}
      >
        {short ? text : `${label} · ${text}`}
      </Tag>
    </Tooltip>
  );
}
