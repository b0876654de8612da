import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, ifMatch, unwrap } from '../../api/client';
import { collectPages } from '../../lib/pages';
import { customerKeys } from '../customers/api';
import { taskKeys } from '../tasks/keys';
import { type TicketFilters, ticketListParams, type TicketQuery } from './filters';
import type {
  BusinessCalendar,
  BusinessCalendarCreate,
  BusinessCalendarUpdate,
  CommentCreate,
  CsatRating,
  CsatReportQuery,
  ReturnVisitCreate,
  RoutingRule,
  RoutingRuleCreate,
  RoutingRuleUpdate,
  SlaPolicy,
  SlaPolicyCreate,
  SlaPolicyUpdate,
  SlaReportQuery,
  StatusChange,
  Ticket,
  TicketAssign,
  TicketCreate,
  TicketForm,
  TicketFormCreate,
  TicketSettingsUpdate,
  TicketUpdate,
} from './types';

export const TICKETS_PAGE_SIZE = 50;
export const COMMENTS_PAGE_SIZE = 100;
const SETTINGS_PAGE_SIZE = 100;

export const ticketKeys = {
  all: ['tickets'] as const,
  lists: () => [...ticketKeys.all, 'list'] as const,
  list: (query: TicketQuery, size: number) => [...ticketKeys.lists(), query, size] as const,
  details: () => [...ticketKeys.all, 'detail'] as const,
  detail: (id: string) => [...ticketKeys.details(), id] as const,
  comments: (id: string) => [...ticketKeys.detail(id), 'comments'] as const,
  history: (id: string) => [...ticketKeys.detail(id), 'history'] as const,
  dashboard: () => [...ticketKeys.all, 'dashboard'] as const,
  reports: () => [...ticketKeys.all, 'reports'] as const,
  csatReport: (query: CsatReportQuery) => [...ticketKeys.reports(), 'csat', query] as const,
  slaReport: (query: SlaReportQuery) => [...ticketKeys.reports(), 'sla', query] as const,
  settings: () => [...ticketKeys.all, 'settings'] as const,
};

export const slaKeys = {
  all: ['sla'] as const,
  policies: () => [...slaKeys.all, 'policies'] as const,
  calendars: () => [...slaKeys.all, 'calendars'] as const,
  forms: () => [...slaKeys.all, 'forms'] as const,
  routingRules: () => [...slaKeys.all, 'routing-rules'] as const,
};

export const surveyKeys = {
  survey: (token: string) => ['csat-survey', token] as const,
};

// --- tickets ---------------------------------------------------------------------------------

/** Keyset pages of a queue with its filters; `fetchNextPage` follows next_cursor. */
export function useTicketList(filters: TicketFilters, size = TICKETS_PAGE_SIZE) {
  const query = ticketListParams(filters);
  return useInfiniteQuery({
    queryKey: ticketKeys.list(query, size),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/tickets', {
          params: { query: { ...query, limit: size, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    placeholderData: keepPreviousData,
    // Queues change as colleagues work and clocks run: keep them fresh while on screen.
    refetchInterval: 60_000,
  });
}

export function useTicket(id: string | undefined) {
  return useQuery({
    queryKey: ticketKeys.detail(id ?? ''),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/tickets/{ticket_id}', { params: { path: { ticket_id: id! } }, signal })),
    enabled: Boolean(id),
    refetchInterval: 60_000,
  });
}

function useTicketSaved() {
  const queryClient = useQueryClient();
  return (ticket: Ticket) => {
    queryClient.setQueryData(ticketKeys.detail(ticket.id), ticket);
    return Promise.all([
      queryClient.invalidateQueries({ queryKey: ticketKeys.lists() }),
      queryClient.invalidateQueries({ queryKey: ticketKeys.history(ticket.id) }),
      queryClient.invalidateQueries({ queryKey: ticketKeys.dashboard() }),
      ...(ticket.customer_id
        ? [queryClient.invalidateQueries({ queryKey: customerKeys.detail(ticket.customer_id) })]
        : []),
    ]);
  };
}

export function useCreateTicket() {
  const saved = useTicketSaved();
  return useMutation({
    mutationFn: async (body: TicketCreate) => unwrap(await api.POST('/tickets', { body })),
    onSuccess: saved,
  });
}

export function useChangeStatus() {
  const queryClient = useQueryClient();
  const saved = useTicketSaved();
  return useMutation({
    mutationFn: async ({ ticket, body }: { ticket: Ticket; body: StatusChange }) =>
      unwrap(
        await api.POST('/tickets/{ticket_id}/status', {
          params: { path: { ticket_id: ticket.id }, header: { 'If-Match': ifMatch(ticket.version) } },
          body,
        }),
      ),
    onSuccess: (ticket) =>
      Promise.all([
        saved(ticket),
        // Resolving may schedule a return-visit task and issue a survey.
        queryClient.invalidateQueries({ queryKey: taskKeys.all }),
        queryClient.invalidateQueries({ queryKey: ticketKeys.reports() }),
      ]),
  });
}

/** Field changes; a 412 means someone else saved first (the caller reloads and shows it). */
export function useUpdateTicket() {
  const saved = useTicketSaved();
  return useMutation({
    mutationFn: async ({ ticket, body }: { ticket: Ticket; body: TicketUpdate }) =>
      unwrap(
        await api.PATCH('/tickets/{ticket_id}', {
          params: { path: { ticket_id: ticket.id }, header: { 'If-Match': ifMatch(ticket.version) } },
          body,
        }),
      ),
    onSuccess: saved,
  });
}

/** The 回访 after a resolution: a timeline follow-up with a score; the scheduled task is done. */
export function useLogReturnVisit(ticket: Ticket) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ReturnVisitCreate) =>
      unwrap(await api.POST('/tickets/{ticket_id}/return-visit', { params: { path: { ticket_id: ticket.id } }, body })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ticketKeys.detail(ticket.id) }),
        queryClient.invalidateQueries({ queryKey: ticketKeys.reports() }),
        queryClient.invalidateQueries({ queryKey: taskKeys.all }),
        ...(ticket.customer_id ? [queryClient.invalidateQueries({ queryKey: customerKeys.detail(ticket.customer_id) })] : []),
      ]),
  });
}

/** The logged return visit (a follow-up on the customer's timeline). */
export function useReturnVisit(activityId: string | null) {
  return useQuery({
    queryKey: ['activities', 'detail', activityId ?? ''] as const,
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/activities/{activity_id}', { params: { path: { activity_id: activityId! } }, signal })),
    enabled: Boolean(activityId),
    staleTime: 5 * 60_000,
  });
}

export function useAssignTicket() {
  const saved = useTicketSaved();
  return useMutation({
    mutationFn: async ({ ticket, body }: { ticket: Ticket; body: TicketAssign }) =>
      unwrap(
        await api.POST('/tickets/{ticket_id}/assign', {
          params: { path: { ticket_id: ticket.id }, header: { 'If-Match': ifMatch(ticket.version) } },
          body,
        }),
      ),
    onSuccess: saved,
  });
}

/** The conversation, oldest first. */
export function useTicketComments(ticketId: string) {
  return useInfiniteQuery({
    queryKey: ticketKeys.comments(ticketId),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/tickets/{ticket_id}/comments', {
          params: {
            path: { ticket_id: ticketId },
            query: { limit: COMMENTS_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) },
          },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
  });
}

export function useAddComment(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CommentCreate) =>
      unwrap(await api.POST('/tickets/{ticket_id}/comments', { params: { path: { ticket_id: ticketId } }, body })),
    // A first public reply stops the first-response clock (and may open a new ticket).
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ticketKeys.detail(ticketId) }),
        queryClient.invalidateQueries({ queryKey: ticketKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: ticketKeys.dashboard() }),
      ]),
  });
}

export function useTicketHistory(ticketId: string) {
  return useQuery({
    queryKey: ticketKeys.history(ticketId),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/tickets/{ticket_id}/history', { params: { path: { ticket_id: ticketId } }, signal })),
  });
}

// --- dashboard and reports -------------------------------------------------------------------

export function useTicketDashboard(enabled = true) {
  return useQuery({
    queryKey: ticketKeys.dashboard(),
    queryFn: async ({ signal }) => unwrap(await api.GET('/tickets/dashboard', { signal })),
    enabled,
    refetchInterval: 60_000,
  });
}

export function useCsatReport(query: CsatReportQuery) {
  return useQuery({
    queryKey: ticketKeys.csatReport(query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/tickets/reports/csat', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useSlaReport(query: SlaReportQuery) {
  return useQuery({
    queryKey: ticketKeys.slaReport(query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/tickets/reports/sla', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useTicketSettings() {
  return useQuery({
    queryKey: ticketKeys.settings(),
    queryFn: async ({ signal }) => unwrap(await api.GET('/settings/tickets', { signal })),
    staleTime: 5 * 60_000,
  });
}

export function useUpdateTicketSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: TicketSettingsUpdate) => unwrap(await api.PATCH('/settings/tickets', { body })),
    onSuccess: (settings) => queryClient.setQueryData(ticketKeys.settings(), settings),
  });
}

// --- SLA policies, business calendars, intake forms -------------------------------------------

export function useSlaPolicies() {
  return useQuery({
    queryKey: slaKeys.policies(),
    queryFn: ({ signal }) =>
      collectPages<SlaPolicy>(async (cursor) =>
        unwrap(
          await api.GET('/sla-policies', {
            params: { query: { limit: SETTINGS_PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        ),
      ),
    staleTime: 60_000,
  });
}

export function useSavePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ policy, body }: { policy?: SlaPolicy; body: SlaPolicyCreate & SlaPolicyUpdate }) =>
      policy
        ? unwrap(
            await api.PATCH('/sla-policies/{policy_id}', {
              params: { path: { policy_id: policy.id }, header: { 'If-Match': ifMatch(policy.version) } },
              body,
            }),
          )
        : unwrap(await api.POST('/sla-policies', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: slaKeys.policies() }),
  });
}

export function useDeletePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (policy: SlaPolicy) =>
      unwrap(await api.DELETE('/sla-policies/{policy_id}', { params: { path: { policy_id: policy.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: slaKeys.policies() }),
  });
}

export function useCalendars() {
  return useQuery({
    queryKey: slaKeys.calendars(),
    queryFn: ({ signal }) =>
      collectPages<BusinessCalendar>(async (cursor) =>
        unwrap(
          await api.GET('/business-calendars', {
            params: { query: { limit: SETTINGS_PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        ),
      ),
    staleTime: 60_000,
  });
}

export function useSaveCalendar() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ calendar, body }: { calendar?: BusinessCalendar; body: BusinessCalendarCreate & BusinessCalendarUpdate }) =>
      calendar
        ? unwrap(
            await api.PATCH('/business-calendars/{calendar_id}', {
              params: { path: { calendar_id: calendar.id }, header: { 'If-Match': ifMatch(calendar.version) } },
              body,
            }),
          )
        : unwrap(await api.POST('/business-calendars', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: slaKeys.calendars() }),
  });
}

export function useDeleteCalendar() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (calendar: BusinessCalendar) =>
      unwrap(await api.DELETE('/business-calendars/{calendar_id}', { params: { path: { calendar_id: calendar.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: slaKeys.calendars() }),
  });
}

/** When `minutes` of working time from `start` are used up, by the saved calendar. */
export function useCalendarPreview(calendarId: string | undefined, start: string, minutes: number) {
  return useQuery({
    queryKey: [...slaKeys.calendars(), calendarId ?? '', 'preview', start, minutes] as const,
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET('/business-calendars/{calendar_id}/preview', {
          params: { path: { calendar_id: calendarId! }, query: { start, minutes } },
          signal,
        }),
      ),
    enabled: Boolean(calendarId) && minutes > 0,
  });
}

export function useTicketForms() {
  return useQuery({
    queryKey: slaKeys.forms(),
    queryFn: ({ signal }) =>
      collectPages<TicketForm>(async (cursor) =>
        unwrap(
          await api.GET('/ticket-forms', {
            params: { query: { limit: SETTINGS_PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        ),
      ),
  });
}

export function useCreateTicketForm() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: TicketFormCreate) => unwrap(await api.POST('/ticket-forms', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: slaKeys.forms() }),
  });
}

// --- routing rules -----------------------------------------------------------------------------

/** Every routing rule in the order they are tried (a workspace has a handful). */
export function useRoutingRules() {
  return useQuery({
    queryKey: slaKeys.routingRules(),
    queryFn: ({ signal }) =>
      collectPages<RoutingRule>(async (cursor) =>
        unwrap(
          await api.GET('/ticket-routing-rules', {
            params: { query: { limit: SETTINGS_PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        ),
      ),
  });
}

export function useSaveRoutingRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ rule, body }: { rule?: RoutingRule; body: RoutingRuleCreate }) =>
      rule
        ? unwrap(
            await api.PATCH('/ticket-routing-rules/{routing_rule_id}', {
              params: { path: { routing_rule_id: rule.id }, header: { 'If-Match': ifMatch(rule.version) } },
              body,
            }),
          )
        : unwrap(await api.POST('/ticket-routing-rules', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: slaKeys.routingRules() }),
  });
}

/** A few fields of several rules at once (switching on/off, new positions), each with its version. */
export function usePatchRoutingRules() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (changes: { rule: RoutingRule; body: RoutingRuleUpdate }[]) => {
      for (const { rule, body } of changes) {
        unwrap(
          await api.PATCH('/ticket-routing-rules/{routing_rule_id}', {
            params: { path: { routing_rule_id: rule.id }, header: { 'If-Match': ifMatch(rule.version) } },
            body,
          }),
        );
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: slaKeys.routingRules() }),
  });
}

export function useDeleteRoutingRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (rule: RoutingRule) => {
      await api.DELETE('/ticket-routing-rules/{routing_rule_id}', { params: { path: { routing_rule_id: rule.id } } });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: slaKeys.routingRules() }),
  });
}

// --- the public satisfaction survey (no login) -----------------------------------------------

export function useSurvey(token: string) {
  return useQuery({
    queryKey: surveyKeys.survey(token),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/public/csat/{token}', { params: { path: { token } }, signal })),
    retry: false,
  });
}

export function useRateSurvey(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CsatRating) =>
      unwrap(await api.POST('/public/csat/{token}', { params: { path: { token } }, body })),
    onSuccess: (survey) => queryClient.setQueryData(surveyKeys.survey(token), survey),
  });
}
