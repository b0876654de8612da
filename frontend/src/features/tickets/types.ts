/** Named model types of service tickets, all taken from the generated contract. */
import type { components, operations } from '../../api/schema';

type Schemas = components['schemas'];
type QueryOf<O extends keyof operations> = NonNullable<operations[O]['parameters']['query']>;
type JsonBodyOf<O extends keyof operations> = operations[O] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type Ticket = Schemas['Ticket'];
export type TicketStatus = Schemas['TicketStatus'];
export type TicketPriority = Schemas['TicketPriority'];
export type TicketChannel = Schemas['TicketChannel'];
export type TicketQueue = Schemas['TicketQueue'];
export type TicketSort = Schemas['TicketSort'];
export type TicketSla = Schemas['TicketSla'];
export type SlaClock = Schemas['SlaClock'];
export type ClockState = Schemas['ClockState'];
export type TicketCsat = Schemas['TicketCsat'];
export type TicketCreate = JsonBodyOf<'tickets:create_ticket'>;
export type TicketUpdate = JsonBodyOf<'tickets:update_ticket'>;
export type TicketListQuery = QueryOf<'tickets:list_tickets'>;
export type StatusChange = JsonBodyOf<'tickets:change_status'>;
export type TicketAssign = JsonBodyOf<'tickets:assign_ticket'>;
export type Comment = Schemas['Comment'];
export type CommentCreate = JsonBodyOf<'tickets:add_comment'>;
export type CommentVisibility = Schemas['CommentVisibility'];
export type StatusHistoryItem = Schemas['StatusHistoryItem'];

export type SlaPolicy = Schemas['SlaPolicy'];
export type SlaPolicyCreate = JsonBodyOf<'sla-policies:create_policy'>;
export type SlaPolicyUpdate = JsonBodyOf<'sla-policies:update_policy'>;
export type SlaTarget = Schemas['SlaTarget'];
export type BusinessCalendar = Schemas['BusinessCalendar'];
export type BusinessCalendarCreate = JsonBodyOf<'business-calendars:create_calendar'>;
export type BusinessCalendarUpdate = JsonBodyOf<'business-calendars:update_calendar'>;
export type CalendarPreview = Schemas['CalendarPreview'];
export type TicketForm = Schemas['TicketForm'];
export type TicketFormCreate = JsonBodyOf<'ticket-forms:create_form'>;
export type TicketSettings = Schemas['TicketSettings'];
export type TicketSettingsUpdate = JsonBodyOf<'settings:update_ticket_settings'>;
export type RoutingRule = Schemas['RoutingRule'];
export type RoutingStrategy = Schemas['RoutingStrategy'];
export type RoutingRuleCreate = JsonBodyOf<'ticket-routing-rules:create_rule'>;
export type RoutingRuleUpdate = JsonBodyOf<'ticket-routing-rules:update_rule'>;
export type ReturnVisitCreate = JsonBodyOf<'tickets:log_return_visit'>;

export type PublicSurvey = Schemas['PublicSurvey'];
export type CsatRating = JsonBodyOf<'public:rate_ticket'>;

export type Dashboard = Schemas['Dashboard'];
export type CsatReportRow = Schemas['CsatReportRow'];
export type SlaReportRow = Schemas['SlaReportRow'];
export type CsatReportQuery = QueryOf<'tickets:csat_report'>;
export type SlaReportQuery = QueryOf<'tickets:sla_report'>;
