/** Small hooks and helpers the widgets share. */
import { Grid } from 'antd';
import { useTranslation } from 'react-i18next';

/** The label of a metric (targets and leaderboards share them). */
export function useMetricLabel() {
  const { t } = useTranslation();
  return (metric: string) => t(`dashboard.metrics.${metric as 'won_amount'}`, { defaultValue: metric });
}

/** The metrics that have targets, in a fixed order. */
export function metricsOf(items: readonly { metric: string }[]): string[] {
  const order = ['won_amount', 'payments_received', 'new_customers', 'follow_ups'];
  const present = new Set(items.map((i) => i.metric));
  return [...order.filter((m) => present.has(m)), ...[...present].filter((m) => !order.includes(m)).sort()];
}

/** Below antd's `md` breakpoint (a phone): charts use shorter axis labels and fewer ticks. */
export function useNarrow(): boolean {
  const screens = Grid.useBreakpoint();
  return screens.md === false;
}
