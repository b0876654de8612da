export { default as ReportList } from './ReportList';
export { default as ReportViewer } from './ReportViewer';
