/**
 * The frame of every dashboard widget: a card with its title, and in its body exactly one of
 * loading (a skeleton of the chart's height), the failure (ProblemAlert with retry), the empty
 * state, or the content. `data-state` tells tests (and people debugging) which one it is.
 */
import { Card, Empty, Flex, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ProblemAlert } from '../../components/ProblemAlert';
import { widgetState, type WidgetQuery } from './state';

export type { WidgetQuery } from './state';

export function Widget({
  title,
  extra,
  more,
  query,
  empty = false,
  emptyText,
  height = 260,
  testId,
  children,
}: {
  title: ReactNode;
  extra?: ReactNode;
  /** The analytics page with the full report (a "details" link in the corner). */
  more?: string;
  query: WidgetQuery;
  /** Data arrived but there is nothing to show. */
  empty?: boolean;
  emptyText: string;
  /** Height of the body while loading or empty, so the grid does not jump. */
  height?: number;
  testId: string;
  /** Called only when there is data to show. */
  children: () => ReactNode;
}) {
  const { t } = useTranslation();
  const state = widgetState(query, empty);
  return (
    <Card
      size="small"
      title={title}
      extra={
        (extra || more) && (
          <Flex gap={12} align="center" wrap>
            {extra}
            {more && <Link to={more}>{t('dashboard.more')}</Link>}
          </Flex>
        )
      }
      data-testid={testId}
      data-state={state}
      style={{ height: '100%' }}
      styles={{ header: { flexWrap: 'wrap', gap: 8, paddingBlock: 6 } }}
    >
      {state === 'error' && <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />}
      {state === 'loading' && (
        <div style={{ height, overflow: 'hidden' }}>
          <Skeleton active paragraph={{ rows: Math.max(2, Math.floor(height / 48)) }} />
        </div>
      )}
      {state === 'empty' && (
        <div style={{ minHeight: height, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />
        </div>
      )}
      {state === 'ready' && children()}
    </Card>
  );
}
