/**
 * The menu and the authenticated routes come from this one list: a module adds an entry here
 * (with its lazily loaded page) and gets both. Groups have children; leaves have a path.
 */
import {
  AccountBookOutlined,
  AimOutlined,
  AlignLeftOutlined,
  ApiOutlined,
  AuditOutlined,
  BarChartOutlined,
  ContactsOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  FieldTimeOutlined,
  FileProtectOutlined,
  FormOutlined,
  FundProjectionScreenOutlined,
  GoldOutlined,
  FunnelPlotOutlined,
  FlagOutlined,
  HomeOutlined,
  InboxOutlined,
  KeyOutlined,
  MoneyCollectOutlined,
  PayCircleOutlined,
  NodeIndexOutlined,
  NotificationOutlined,
  ProfileOutlined,
  RocketOutlined,
  ScheduleOutlined,
  SettingOutlined,
  SlidersOutlined,
  ShopOutlined,
  ShoppingCartOutlined,
  SolutionOutlined,
  TagsOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ComponentType } from 'react';

import type { Me } from '../api/types';

export type NavLabelKey = `nav.${
  | 'home'
  | 'customers'
  | 'myDay'
  | 'pools'
  | 'settings'
  | 'users'
  | 'teams'
  | 'customFields'
  | 'customerSettings'
  | 'tags'
  | 'apiKeys'
  | 'webhooks'
  | 'auditLog'
  | 'pipeline'
  | 'products'
  | 'pipelineSettings'
  | 'cash'
  | 'contracts'
  | 'receivables'
  | 'orders'
  | 'contractSettings'
  | 'leads'
  | 'marketing'
  | 'campaigns'
  | 'assignmentRules'
  | 'webForms'
  | 'service'
  | 'tickets'
  | 'serviceOverview'
  | 'slaSettings'
  | 'ticketRouting'
  | 'ticketSettings'
  | 'analytics'
  | 'salesAnalytics'
  | 'reports'
  | 'targets'
  | 'teamAnalytics'
  | 'commission'
  | 'customerValue'
  | 'rfmSettings'}`;

type PageLoader = () => Promise<{ default: ComponentType }>;

/** A page of a module reached from its own screens (a detail page), not from the menu. */
export interface SubRoute {
  /** Absolute path, React Router syntax (`/customers/:customerId`). */
  path: string;
  page: PageLoader;
}

export interface NavItem {
  key: string;
  labelKey: NavLabelKey;
  icon: ComponentType;
  /** Absolute path of the page; leaves only. */
  path?: string;
  /** The page, loaded on first visit so the initial bundle stays small. */
  page?: PageLoader;
  /** Further pages of the module; the menu entry stays selected on them. */
  routes?: SubRoute[];
  /** Shown only to users whose permissions give this module some data scope. */
  module?: string;
  children?: NavItem[];
}

export const nav: NavItem[] = [
  {
    key: 'home',
    labelKey: 'nav.home',
    icon: HomeOutlined,
    path: '/',
    page: () => import('../features/home/HomePage'),
  },
  {
    key: 'customers',
    labelKey: 'nav.customers',
    icon: ContactsOutlined,
    path: '/customers',
    module: 'customers',
    page: () => import('../features/customers/CustomerList'),
    routes: [
      { path: '/customers/import', page: () => import('../features/imports/ImportWizard') },
      { path: '/customers/:customerId', page: () => import('../features/customers/CustomerDetail') },
      { path: '/customers/:customerId/merge', page: () => import('../features/customers/MergePage') },
    ],
  },
  {
    key: 'my-day',
    labelKey: 'nav.myDay',
    icon: ScheduleOutlined,
    path: '/my-day',
    module: 'customers',
    page: () => import('../features/tasks/MyDayPage'),
  },
  {
    key: 'pools',
    labelKey: 'nav.pools',
    icon: InboxOutlined,
    path: '/pools',
    module: 'pools',
    page: () => import('../features/pools/PoolPage'),
    routes: [{ path: '/pools/:poolId', page: () => import('../features/pools/PoolPage') }],
  },
  {
    key: 'leads',
    labelKey: 'nav.leads',
    icon: AimOutlined,
    path: '/leads',
    module: 'leads',
    page: () => import('../features/leads/LeadList'),
    routes: [{ path: '/leads/:leadId', page: () => import('../features/leads/LeadDetail') }],
  },
  {
    key: 'pipeline',
    labelKey: 'nav.pipeline',
    icon: FundProjectionScreenOutlined,
    path: '/pipeline',
    module: 'opportunities',
    page: () => import('../features/pipeline/PipelinePage'),
    routes: [{ path: '/opportunities/:opportunityId', page: () => import('../features/pipeline/DealDetail') }],
  },
  {
    key: 'marketing',
    labelKey: 'nav.marketing',
    icon: NotificationOutlined,
    children: [
      {
        key: 'campaigns',
        labelKey: 'nav.campaigns',
        icon: RocketOutlined,
        path: '/campaigns',
        module: 'leads',
        page: () => import('../features/campaigns/CampaignList'),
        routes: [{ path: '/campaigns/:campaignId', page: () => import('../features/campaigns/CampaignDetail') }],
      },
      {
        key: 'web-forms',
        labelKey: 'nav.webForms',
        icon: ProfileOutlined,
        path: '/web-forms',
        module: 'leads',
        page: () => import('../features/web-forms/WebFormList'),
      },
      {
        key: 'assignment-rules',
        labelKey: 'nav.assignmentRules',
        icon: NodeIndexOutlined,
        path: '/assignment-rules',
        module: 'leads',
        page: () => import('../features/assignment-rules/RuleList'),
      },
    ],
  },
  {
    key: 'cash',
    labelKey: 'nav.cash',
    icon: MoneyCollectOutlined,
    children: [
      {
        key: 'contracts',
        labelKey: 'nav.contracts',
        icon: FileProtectOutlined,
        path: '/contracts',
        module: 'contracts',
        page: () => import('../features/contracts/ContractList'),
        routes: [
          { path: '/contracts/new', page: () => import('../features/contracts/ContractList') },
          { path: '/contracts/:contractId', page: () => import('../features/contracts/ContractDetail') },
        ],
      },
      {
        key: 'receivables',
        labelKey: 'nav.receivables',
        icon: AccountBookOutlined,
        path: '/receivables',
        module: 'receivables',
        page: () => import('../features/receivables/ReceivablesPage'),
      },
      {
        key: 'orders',
        labelKey: 'nav.orders',
        icon: ShoppingCartOutlined,
        path: '/orders',
        module: 'orders',
        page: () => import('../features/orders/OrderList'),
      },
    ],
  },
  {
    key: 'service',
    labelKey: 'nav.service',
    icon: CustomerServiceOutlined,
    children: [
      {
        key: 'tickets',
        labelKey: 'nav.tickets',
        icon: CustomerServiceOutlined,
        path: '/tickets',
        module: 'tickets',
        page: () => import('../features/tickets/TicketList'),
        routes: [{ path: '/tickets/:ticketId', page: () => import('../features/tickets/TicketShow') }],
      },
      {
        key: 'service-overview',
        labelKey: 'nav.serviceOverview',
        icon: DashboardOutlined,
        path: '/service/overview',
        module: 'tickets',
        page: () => import('../features/tickets/ServiceOverview'),
      },
      {
        key: 'ticket-routing',
        labelKey: 'nav.ticketRouting',
        icon: NodeIndexOutlined,
        path: '/service/routing-rules',
        module: 'tickets',
        page: () => import('../features/tickets/RoutingRulesPage'),
      },
    ],
  },
  {
    // Analytics pages (targets, funnel, forecast, customer value, reports, commission) are
    // added here as leaves; the group stays hidden while none is visible to the user.
    key: 'analytics',
    labelKey: 'nav.analytics',
    icon: BarChartOutlined,
    children: [
      {
        key: 'sales-analytics',
        labelKey: 'nav.salesAnalytics',
        icon: FunnelPlotOutlined,
        path: '/analytics/sales',
        module: 'analytics',
        page: () => import('../features/sales-analytics/SalesAnalyticsPage'),
      },
      {
        key: 'reports',
        labelKey: 'nav.reports',
        icon: FileTextOutlined,
        path: '/reports',
        module: 'analytics',
        page: () => import('../features/reports/ReportList'),
        routes: [{ path: '/reports/:reportId', page: () => import('../features/reports/ReportViewer') }],
      },
      {
        key: 'targets',
        labelKey: 'nav.targets',
        icon: FlagOutlined,
        path: '/analytics/targets',
        module: 'analytics',
        page: () => import('../features/targets/TargetsPage'),
      },
      {
        key: 'team-analytics',
        labelKey: 'nav.teamAnalytics',
        icon: AlignLeftOutlined,
        path: '/analytics/team',
        module: 'analytics',
        page: () => import('../features/team-analytics/TeamAnalyticsPage'),
      },
      {
        key: 'commission',
        labelKey: 'nav.commission',
        icon: PayCircleOutlined,
        path: '/analytics/commission',
        module: 'analytics',
        page: () => import('../features/commission/CommissionPage'),
      },
      {
        key: 'customer-value',
        labelKey: 'nav.customerValue',
        icon: GoldOutlined,
        path: '/analytics/customer-value',
        module: 'analytics',
        page: () => import('../features/customer-value/CustomerValuePage'),
        routes: [{ path: '/analytics/customer-value/:tab', page: () => import('../features/customer-value/CustomerValuePage') }],
      },
    ],
  },
  {
    key: 'settings',
    labelKey: 'nav.settings',
    icon: SettingOutlined,
    children: [
      {
        key: 'users',
        labelKey: 'nav.users',
        icon: UserOutlined,
        path: '/settings/users',
        module: 'settings',
        page: () => import('../features/users/UserList'),
      },
      {
        key: 'teams',
        labelKey: 'nav.teams',
        icon: TeamOutlined,
        path: '/settings/teams',
        module: 'settings',
        page: () => import('../features/teams/TeamTree'),
      },
      {
        key: 'custom-fields',
        labelKey: 'nav.customFields',
        icon: FormOutlined,
        path: '/settings/custom-fields',
        module: 'settings',
        page: () => import('../features/custom-fields/CustomFieldList'),
      },
      {
        key: 'customer-settings',
        labelKey: 'nav.customerSettings',
        icon: SolutionOutlined,
        path: '/settings/customers',
        module: 'customers',
        page: () => import('../features/customers/CustomerSettingsPage'),
      },
      {
        key: 'pipeline-settings',
        labelKey: 'nav.pipelineSettings',
        icon: FunnelPlotOutlined,
        path: '/settings/pipelines',
        module: 'opportunities',
        page: () => import('../features/pipeline/PipelineSettingsPage'),
      },
      {
        key: 'products',
        labelKey: 'nav.products',
        icon: ShopOutlined,
        path: '/products',
        module: 'opportunities',
        page: () => import('../features/products/ProductList'),
      },
      {
        key: 'contract-settings',
        labelKey: 'nav.contractSettings',
        icon: FileDoneOutlined,
        path: '/settings/contracts',
        module: 'contracts',
        page: () => import('../features/contracts/ContractSettingsPage'),
      },
      {
        key: 'sla-settings',
        labelKey: 'nav.slaSettings',
        icon: FieldTimeOutlined,
        path: '/settings/sla',
        module: 'tickets',
        page: () => import('../features/tickets/SlaSettingsPage'),
      },
      {
        key: 'rfm-settings',
        labelKey: 'nav.rfmSettings',
        icon: SlidersOutlined,
        path: '/settings/rfm',
        module: 'analytics',
        page: () => import('../features/customer-value/RfmSettingsPage'),
      },
      {
        key: 'ticket-settings',
        labelKey: 'nav.ticketSettings',
        icon: CustomerServiceOutlined,
        path: '/settings/tickets',
        module: 'tickets',
        page: () => import('../features/tickets/TicketSettingsPage'),
      },
      {
        key: 'tags',
        labelKey: 'nav.tags',
        icon: TagsOutlined,
        path: '/settings/tags',
        module: 'settings',
        page: () => import('../features/tags/TagList'),
      },
      {
        key: 'api-keys',
        labelKey: 'nav.apiKeys',
        icon: KeyOutlined,
        path: '/settings/api-keys',
        page: () => import('../features/api-keys/ApiKeyList'),
      },
      {
        key: 'webhooks',
        labelKey: 'nav.webhooks',
        icon: ApiOutlined,
        path: '/settings/webhooks',
        module: 'integrations',
        page: () => import('../features/webhooks/WebhookList'),
        routes: [{ path: '/settings/webhooks/:endpointId', page: () => import('../features/webhooks/WebhookDetail') }],
      },
      {
        key: 'audit-log',
        labelKey: 'nav.auditLog',
        icon: AuditOutlined,
        path: '/settings/audit-log',
        module: 'audit',
        page: () => import('../features/audit/AuditLogList'),
      },
    ],
  },
];

const ADMIN_ROLES = new Set(['owner', 'admin']);

export function canSee(item: NavItem, me: Me): boolean {
  if (item.children) return item.children.some((child) => canSee(child, me));
  if (!item.module || ADMIN_ROLES.has(me.user.role)) return true;
  const scope = me.permissions[item.module]?.scope ?? 'none';
  return scope !== 'none';
}

/** Every leaf with a page, depth first, for building routes. */
export function navLeaves(items: NavItem[] = nav): NavItem[] {
  return items.flatMap((item) => (item.children ? navLeaves(item.children) : item.page ? [item] : []));
}

/** Every routable page: the leaves' own pages and their modules' further pages. */
export function navPages(items: NavItem[] = nav): SubRoute[] {
  return navLeaves(items).flatMap((item) => [
    ...(item.path && item.page ? [{ path: item.path, page: item.page }] : []),
    ...(item.routes ?? []),
  ]);
}

/** The leaf whose path is the longest prefix of `pathname`, and the keys of its ancestors. */
export function activeNav(pathname: string, items: NavItem[] = nav): { selected?: string; open: string[] } {
  let best: { selected?: string; open: string[]; length: number } = { open: [], length: -1 };
  const visit = (list: NavItem[], parents: string[]) => {
    for (const item of list) {
      if (item.children) visit(item.children, [...parents, item.key]);
      else if (item.path) {
        // A module's further pages may live under another prefix (/pipeline → /opportunities/:id).
        const prefixes = [item.path, ...(item.routes ?? []).map((route) => route.path.split('/:')[0])];
        for (const prefix of prefixes) {
          const matches = prefix === '/' ? pathname === '/' : pathname === prefix || pathname.startsWith(`${prefix}/`);
          if (matches && prefix.length > best.length) {
            best = { selected: item.key, open: parents, length: prefix.length };
          }
        }
      }
    }
  };
  visit(items, []);
  return { selected: best.selected, open: best.open };
}
