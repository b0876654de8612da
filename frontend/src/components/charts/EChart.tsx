/**
 * The one chart component: ECharts (SVG renderer, tree-shaken to the chart kinds we use),
 * sized by its container, re-rendered when `option` changes and disposed on unmount.
 * Texts in `option` must already be translated by the caller.
 */
import { BarChart, FunnelChart, GaugeChart, HeatmapChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import {
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { Empty } from 'antd';
import { useEffect, useRef } from 'react';

echarts.use([
  BarChart,
  FunnelChart,
  GaugeChart,
  HeatmapChart,
  LineChart,
  PieChart,
  ScatterChart,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

export type ChartOption = EChartsCoreOption;

export interface EChartProps {
  option: ChartOption;
  /** CSS height of the chart; the width follows the container. */
  height?: number | string;
  /** Accessible name of the chart (translated). */
  ariaLabel: string;
  /** Shows the antd empty state instead of an empty chart. */
  empty?: boolean;
  emptyText?: string;
  testId?: string;
}

export function EChart({ option, height = 280, ariaLabel, empty, emptyText, testId }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element || empty) return undefined;
    const instance = echarts.init(element, undefined, { renderer: 'svg' });
    chart.current = instance;
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => instance.resize());
    observer?.observe(element);
    return () => {
      observer?.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [empty]);

  useEffect(() => {
    if (!empty) chart.current?.setOption(option, { notMerge: true });
  }, [option, empty]);

  if (empty) {
    // its own key: React must not reuse the chart's element, whose content ECharts clears on dispose
    return (
      <div key="empty" style={{ height, display: 'flex', alignItems: 'center', justifyContent: 'center' }} data-testid={testId}>
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />
      </div>
    );
  }
  return (
    <div
      key="chart"
      ref={ref}
      role="img"
      aria-label={ariaLabel}
      data-testid={testId}
      data-chart="echarts"
      style={{ width: '100%', height }}
    />
  );
}
