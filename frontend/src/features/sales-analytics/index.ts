export { default as SalesAnalyticsPage } from './SalesAnalyticsPage';
