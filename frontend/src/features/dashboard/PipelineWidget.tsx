import { Button, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { EChart } from '../../components/charts';
import { useBoardTotals, useDefaultPipeline, type WhoFilters } from './api';
import { useNarrow } from './hooks';
import { openStageTotals } from './data';
import { pipelineOption } from './options';
import { Widget, type WidgetQuery } from './Widget';

/** Open deals of the default pipeline by stage: amount and weighted amount, count on top. */
export function PipelineWidget({ who, title }: { who: WhoFilters; title: string }) {
  const { t, i18n } = useTranslation();
  const narrow = useNarrow();
  const pipelines = useDefaultPipeline();
  const board = useBoardTotals(pipelines.pipeline?.id, who);
  const totals = useMemo(() => (board.data ? openStageTotals(board.data) : null), [board.data]);
  const option = useMemo(
    () =>
      totals &&
      pipelineOption(
        totals.stages,
        totals.currency,
        i18n.language,
        {
          amount: t('dashboard.myPipeline.amount'),
          weighted: t('dashboard.myPipeline.weighted'),
          deals: t('dashboard.myPipeline.deals'),
        },
        narrow,
      ),
    [totals, i18n.language, t, narrow],
  );
  // no pipeline at all is "nothing to show", not "still loading"
  const query: WidgetQuery = pipelines.pipeline
    ? board
    : { ...pipelines, isPending: pipelines.isPending, refetch: pipelines.refetch };
  return (
    <Widget
      title={title}
      extra={
        totals ? (
          <Typography.Text type="secondary" data-testid="pipeline-open-deals">
            {t('dashboard.myPipeline.deals')}: {totals.deals}
          </Typography.Text>
        ) : (
          <Link to="/pipeline">
            <Button size="small" type="link">
              {t('dashboard.myPipeline.open')}
            </Button>
          </Link>
        )
      }
      query={query}
      empty={!pipelines.pipeline || (totals?.deals ?? 0) === 0}
      emptyText={t('dashboard.myPipeline.empty')}
      testId="widget-pipeline"
    >
      {() => option && <EChart option={option} ariaLabel={title} testId="chart-pipeline" />}
    </Widget>
  );
}
