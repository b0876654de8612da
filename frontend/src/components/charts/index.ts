export { EChart } from './EChart';
export type { ChartOption, EChartProps } from './EChart';
