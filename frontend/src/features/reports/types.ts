/** Periodic-report types, taken from the generated contract. */
import type { components, operations } from '../../api/types';

type Schemas = components['schemas'];

export type Report = Schemas['Report'];
export type ReportSummary = Schemas['ReportSummary'];
export type ReportMetrics = Schemas['ReportMetrics'];
export type ReportMember = Schemas['ReportMember'];
export type ReportMoney = Schemas['Money'];
export type ReportKind = Schemas['ReportKind'];
export type ReportSubjectKind = Schemas['ReportSubjectKind'];
export type ReportGenerate = Schemas['ReportGenerate'];
export type ReportListQuery = NonNullable<operations['reports:list_reports']['parameters']['query']>;
