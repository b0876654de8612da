import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import i18n from '../../i18n';
import { renderAt } from '../../test/render';
import { SlaBadge } from './SlaBadge';
import type { SlaClock } from './types';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const running = (minutes: number): SlaClock => ({
  target_minutes: 240,
  due_at: new Date(NOW + minutes * 60_000).toISOString(),
  remaining_seconds: minutes * 60,
  state: 'running',
  breached: false,
  met_at: null,
});

describe('SlaBadge', () => {
  it('says how long is left, in both languages, amber inside the warning lead', async () => {
    renderAt(<SlaBadge clock={running(125)} which="firstResponse" now={NOW} warningMinutes={30} />);
    const badge = screen.getByTestId('sla-firstResponse');
    expect(badge).toHaveTextContent('首次响应 · 剩余 2小时5分');
    expect(badge).toHaveAttribute('data-tone', 'ok');
    await i18n.changeLanguage('en');
    expect(await screen.findByText('First response · 2h 5m left')).toBeInTheDocument();
  });

  it('shows an overdue clock in red and a met one in green', () => {
    renderAt(
      <>
        <SlaBadge clock={running(-45)} which="resolution" now={NOW} />
        <SlaBadge clock={{ ...running(10), state: 'met', met_at: new Date(NOW).toISOString() }} which="firstResponse" now={NOW} short />
      </>,
    );
    const overdue = screen.getByTestId('sla-resolution');
    expect(overdue).toHaveTextContent('解决 · 已超时 45分钟');
    expect(overdue).toHaveAttribute('data-tone', 'breached');
    expect(overdue).toHaveClass('ant-tag-error');
    const met = screen.getByTestId('sla-firstResponse');
    expect(met).toHaveTextContent(/^已达成$/);
    expect(met).toHaveClass('ant-tag-success');
  });

  it('renders nothing for a clock without a target', () => {
    renderAt(<SlaBadge clock={{ ...running(0), state: 'none', target_minutes: null, due_at: null }} which="resolution" now={NOW} />);
    expect(screen.queryByTestId('sla-resolution')).toBeNull();
  });
});
