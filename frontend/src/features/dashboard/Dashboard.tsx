import { Col, Divider, Flex, Row, Typography } from 'antd';
import { useMemo, useState, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';

import { AnalyticsFilters, currentPeriod, type AnalyticsFilterValue } from '../../components/analytics';
import { useSession } from '../auth';
import { AgingWidget } from './AgingWidget';
import { MyDayWidget } from './MyDayWidget';
import { PipelineWidget } from './PipelineWidget';
import { dashboardSections, filtersByWho, type WidgetKey } from './layout';
import {
  ForecastWidget,
  FunnelWidget,
  LeaderboardWidget,
  MyTargetsWidget,
  ParetoWidget,
  RevenueWidget,
  RfmWidget,
  TeamTargetsWidget,
} from './widgets';

export interface WidgetProps {
  filters: AnalyticsFilterValue;
}

const PERIOD_KINDS = ['month', 'quarter', 'year'] as const;

function MyPipelineWidget() {
  const { t } = useTranslation();
  return <PipelineWidget who={{}} title={t('dashboard.myPipeline.title')} />;
}

function TeamPipelineWidget({ filters }: WidgetProps) {
  const { t } = useTranslation();
  return <PipelineWidget who={{ teamId: filters.teamId, ownerId: filters.ownerId }} title={t('dashboard.myPipeline.teamTitle')} />;
}

/** Each widget and its column widths (phone: full width; desktop: as set here). */
const WIDGETS: Record<WidgetKey, { Component: ComponentType<WidgetProps>; lg: number }> = {
  myTargets: { Component: MyTargetsWidget, lg: 24 },
  myDay: { Component: MyDayWidget, lg: 10 },
  myPipeline: { Component: MyPipelineWidget, lg: 14 },
  myForecast: { Component: ForecastWidget, lg: 24 },
  teamTargets: { Component: TeamTargetsWidget, lg: 12 },
  leaderboard: { Component: LeaderboardWidget, lg: 12 },
  funnel: { Component: FunnelWidget, lg: 10 },
  forecast: { Component: ForecastWidget, lg: 14 },
  pipeline: { Component: TeamPipelineWidget, lg: 12 },
  aging: { Component: AgingWidget, lg: 12 },
  revenue: { Component: RevenueWidget, lg: 24 },
  rfm: { Component: RfmWidget, lg: 12 },
  pareto: { Component: ParetoWidget, lg: 12 },
};

/** The home dashboard for the signed-in user's role, under one period/team/owner filter. */
export function Dashboard() {
  const { t } = useTranslation();
  const me = useSession();
  const sections = useMemo(() => dashboardSections(me), [me]);
  const byWho = filtersByWho(me);
  const [filters, setFilters] = useState<AnalyticsFilterValue>(() => ({ period: currentPeriod('month') }));
  if (sections.length === 0) return null;
  return (
    <div data-testid="dashboard">
      <Flex justify="flex-end" style={{ marginBottom: 12 }}>
        <AnalyticsFilters value={filters} onChange={setFilters} kinds={PERIOD_KINDS} showTeam={byWho} showOwner={byWho} />
      </Flex>
      {sections.map((section) => (
        <section key={section.key} data-testid={`home-section-${section.key}`} style={{ marginBottom: 16 }}>
          <Divider orientation="left" orientationMargin={0} style={{ marginTop: 0 }}>
            <Typography.Text strong>{t(`dashboard.sections.${section.key}`)}</Typography.Text>
          </Divider>
          <Row gutter={[16, 16]}>
            {section.widgets.map((key) => {
              const { Component, lg } = WIDGETS[key];
              return (
                <Col key={key} xs={24} lg={lg}>
                  <Component filters={filters} />
                </Col>
              );
            })}
          </Row>
        </section>
      ))}
    </div>
  );
}
