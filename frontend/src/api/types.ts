/** Named model types for the SPA, all taken from the generated contract. */
import type { components, operations } from './schema';

export type { components, operations, paths } from './schema';

type Schemas = components['schemas'];
type QueryOf<O extends keyof operations> = NonNullable<operations[O]['parameters']['query']>;
type JsonBodyOf<O extends keyof operations> = operations[O] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type Me = Schemas['Me'];
export type Session = Schemas['Session'];
export type User = Schemas['User'];
export type Workspace = Schemas['Workspace'];
export type Role = Schemas['Role'];
export type DataScope = Schemas['Scope'];
export type ModulePermission = Schemas['ModulePermission'];
export type Team = Schemas['Team'];
export type ApiKey = Schemas['ApiKey'];
export type ApiKeyCreated = Schemas['ApiKeyCreated'];
export type AuditEntry = Schemas['AuditEntry'];
export type RoleInfo = Schemas['RoleInfo'];

export type LoginRequest = JsonBodyOf<'auth:login'>;
export type UserCreate = JsonBodyOf<'users:create_user'>;
export type UserUpdate = JsonBodyOf<'users:update_user'>;
export type TeamCreate = JsonBodyOf<'teams:create_team'>;
export type TeamUpdate = JsonBodyOf<'teams:update_team'>;
export type ApiKeyCreate = JsonBodyOf<'api-keys:create_api_key'>;

export type UserListQuery = QueryOf<'users:list_users'>;
export type AuditListQuery = QueryOf<'audit:list_audit_log'>;

/** Every list endpoint answers with this keyset page. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
  has_more: boolean;
}

export type Customer = Schemas['Customer'];
export type CustomerCreate = JsonBodyOf<'customers:create_customer'>;
export type CustomerUpdate = JsonBodyOf<'customers:update_customer'>;
export type CustomerStatus = Schemas['CustomerStatus'];
export type CustomerKind = Schemas['CustomerKind'];
export type CustomerSort = Schemas['CustomerSort'];
export type CustomerListQuery = QueryOf<'customers:list_customers'>;
export type ExportQuery = QueryOf<'exports:export_customers'>;
export type DuplicateCheck = JsonBodyOf<'customers:check_duplicates'>;
export type DuplicateResult = Schemas['DuplicateResult'];
export type DuplicateCandidate = Schemas['DuplicateCandidate'];
export type MatchReason = Schemas['MatchReason'];
export type Contact = Schemas['Contact'];
export type ContactCreate = JsonBodyOf<'contacts:create_contact'>;
export type ContactUpdate = JsonBodyOf<'contacts:update_contact'>;
export type TimelineItem = Schemas['TimelineItem'];
export type LedgerEntry = Schemas['LedgerEntry'];
export type Collaborator = Schemas['Collaborator'];
export type CollaboratorSet = JsonBodyOf<'customers:set_collaborator'>;
export type Transfer = JsonBodyOf<'customers:transfer_customer'>;
export type BulkTransfer = JsonBodyOf<'customers:bulk_transfer'>;
export type TransferResult = Schemas['TransferResult'];
export type BulkTag = JsonBodyOf<'customers:bulk_tag'>;
export type BulkResult = Schemas['BulkResult'];
export type Merge = JsonBodyOf<'customers:merge_customer'>;
export type Dispute = Schemas['Dispute'];
export type DisputeStatus = Schemas['DisputeStatus'];
export type DisputeCreate = JsonBodyOf<'disputes:raise_dispute'>;
export type DisputeDecision = JsonBodyOf<'disputes:decide_dispute'>;
export type Tag = Schemas['Tag'];
export type TagCreate = JsonBodyOf<'tags:create_tag'>;
export type TagUpdate = JsonBodyOf<'tags:update_tag'>;
export type CustomField = Schemas['CustomField'];
export type CustomFieldCreate = JsonBodyOf<'custom-fields:create_custom_field'>;
export type CustomFieldUpdate = JsonBodyOf<'custom-fields:update_custom_field'>;
export type CustomFieldEntity = Schemas['CustomFieldEntity'];
export type FieldType = Schemas['FieldType'];
export type Activity = Schemas['Activity'];
export type ActivityCreate = JsonBodyOf<'activities:create_activity'>;
export type ActivityKind = Schemas['ActivityKind'];
export type Task = Schemas['Task'];
export type TaskCreate = JsonBodyOf<'tasks:create_task'>;
export type TaskListQuery = QueryOf<'tasks:list_tasks'>;
export type Notification = Schemas['Notification'];
export type Handover = JsonBodyOf<'users:handover_user'>;
export type HandoverReport = Schemas['HandoverReport'];
export type Pool = Schemas['Pool'];
export type PoolCustomer = Schemas['PoolCustomer'];
export type ReclaimDue = Schemas['ReclaimDue'];
export type Release = JsonBodyOf<'pools:release_customer'>;
export type Assign = JsonBodyOf<'pools:assign_customer'>;
export type ImportJob = Schemas['ImportJob'];
export type ImportJobSummary = Schemas['ImportJobSummary'];
export type ImportEntity = Schemas['ImportEntity'];
export type ImportField = Schemas['ImportField'];
export type ImportRowError = Schemas['ImportRowError'];
export type ImportDuplicatePolicy = Schemas['DuplicatePolicy'];
export type CustomerSettings = Schemas['CustomerSettings'];
export type CustomerSettingsUpdate = Schemas['CustomerSettingsUpdate'];

// Pipelines, deals (opportunities), lost reasons, products
export type Pipeline = Schemas['Pipeline'];
export type PipelineCreate = JsonBodyOf<'pipelines:create_pipeline'>;
export type PipelineUpdate = JsonBodyOf<'pipelines:update_pipeline'>;
export type PipelineStage = Schemas['PipelineStage'];
export type PipelineStageCreate = JsonBodyOf<'pipelines:create_stage'>;
export type PipelineStageUpdate = JsonBodyOf<'pipelines:update_stage'>;
export type StageKind = Schemas['StageKind'];
export type PipelineBoard = Schemas['PipelineBoard'];
export type BoardColumn = Schemas['BoardColumn'];
export type BoardDeal = Schemas['BoardDeal'];
export type BoardTotal = Schemas['BoardTotal'];
export type BoardQuery = QueryOf<'pipelines:board'>;
export type Opportunity = Schemas['Opportunity'];
export type OpportunityLine = Schemas['OpportunityLine'];
export type OpportunityLineInput = Schemas['OpportunityLineInput'];
export type OpportunityCreate = JsonBodyOf<'opportunities:create_opportunity'>;
export type OpportunityUpdate = JsonBodyOf<'opportunities:update_opportunity'>;
export type OpportunityMove = JsonBodyOf<'opportunities:move_opportunity'>;
export type OpportunityWin = JsonBodyOf<'opportunities:win_opportunity'>;
export type OpportunityLose = JsonBodyOf<'opportunities:lose_opportunity'>;
export type OpportunityListQuery = QueryOf<'opportunities:list_opportunities'>;
export type OpportunitySort = Schemas['OpportunitySort'];
export type DealStatus = Schemas['DealStatus'];
export type StageVisit = Schemas['StageVisit'];
export type LostReason = Schemas['LostReason'];
export type Product = Schemas['Product'];
export type ProductCreate = JsonBodyOf<'products:create_product'>;
export type ProductUpdate = JsonBodyOf<'products:update_product'>;
export type ProductListQuery = QueryOf<'products:list_products'>;
export type ProductSort = Schemas['ProductSort'];

// Contracts, receivables, payments, invoices, orders
export type Contract = Schemas['Contract'];
export type ContractStatus = Schemas['ContractStatus'];
export type ContractTotals = Schemas['ContractTotals'];
export type ContractCreate = JsonBodyOf<'contracts:create_contract'>;
export type ContractUpdate = JsonBodyOf<'contracts:update_contract'>;
export type ContractTermination = JsonBodyOf<'contracts:terminate_contract'>;
export type ContractListQuery = QueryOf<'contracts:list_contracts'>;
export type ContractSettings = Schemas['ContractSettings'];
export type ContractSettingsUpdate = Schemas['ContractSettingsUpdate'];
export type Installment = Schemas['Installment'];
export type InstallmentStatus = Schemas['InstallmentStatus'];
export type PaymentPlan = Schemas['PaymentPlan'];
export type PlanInstallment = Schemas['PlanInstallment'];
export type ReceivableListQuery = QueryOf<'receivables:list_receivables'>;
export type Payment = Schemas['Payment'];
export type PaymentCreate = JsonBodyOf<'payments:create_payment'>;
export type PaymentMethod = Schemas['PaymentMethod'];
export type Invoice = Schemas['Invoice'];
export type InvoiceCreate = JsonBodyOf<'invoices:create_invoice'>;
export type InvoiceIssue = JsonBodyOf<'invoices:issue_invoice'>;
export type InvoiceType = Schemas['InvoiceType'];
export type InvoiceStatus = Schemas['InvoiceStatus'];
export type AgingReport = Schemas['AgingReport'];
export type AgingBuckets = Schemas['AgingBuckets'];
export type AgingRow = Schemas['AgingRow'];
export type AgingGroupBy = Schemas['AgingGroupBy'];
export type CashInCalendar = Schemas['CashInCalendar'];
export type CashInPeriod = Schemas['CashInPeriod'];
export type Order = Schemas['Order'];
export type OrderStatus = Schemas['OrderStatus'];
export type OrderListQuery = QueryOf<'orders:list_orders'>;
