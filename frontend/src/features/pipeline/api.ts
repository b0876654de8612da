import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';

import { api, ifMatch, unwrap } from '../../api/client';
import type {
  Activity,
  ActivityCreate,
  components,
  Contact,
  LostReason,
  Opportunity,
  OpportunityCreate,
  OpportunityListQuery,
  OpportunityLose,
  OpportunityMove,
  OpportunityUpdate,
  OpportunityWin,
  Pipeline,
  PipelineBoard,
  PipelineCreate,
  PipelineStage,
  PipelineStageCreate,
  PipelineStageUpdate,
  PipelineUpdate,
} from '../../api/types';
import { collectPages } from '../../lib/pages';
import { customerKeys } from '../customers/api';
import { taskKeys } from '../tasks/keys';
import { appendColumnPage, moveOnBoard } from './board';

/** Deals per column on the first load and per "load more". */
export const BOARD_PAGE_SIZE = 20;
export const DEALS_PAGE_SIZE = 50;

export interface BoardFilters {
  owner_id?: string;
  team_id?: string;
}

export type DealListFilters = Omit<OpportunityListQuery, 'limit' | 'cursor' | 'updated_since' | 'include_deleted'>;

export const pipelineKeys = {
  all: ['pipelines'] as const,
  list: () => [...pipelineKeys.all, 'list'] as const,
  boards: () => [...pipelineKeys.all, 'board'] as const,
  board: (pipelineId: string, filters: BoardFilters) => [...pipelineKeys.boards(), pipelineId, filters] as const,
  lostReasons: (all: boolean) => [...pipelineKeys.all, 'lost-reasons', all ? 'all' : 'active'] as const,
};

export const dealKeys = {
  all: ['opportunities'] as const,
  lists: () => [...dealKeys.all, 'list'] as const,
  list: (filters: DealListFilters) => [...dealKeys.lists(), filters] as const,
  detail: (id: string) => [...dealKeys.all, 'detail', id] as const,
  history: (id: string) => [...dealKeys.detail(id), 'history'] as const,
  activities: (id: string) => [...dealKeys.detail(id), 'activities'] as const,
};

// --- pipelines -----------------------------------------------------------------------------

/** Every pipeline with its stages (a short list), default first. */
export function usePipelines() {
  return useQuery({
    queryKey: pipelineKeys.list(),
    queryFn: ({ signal }) =>
      collectPages<Pipeline>(async (cursor) =>
        unwrap(await api.GET('/pipelines', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } }, signal })),
      ),
    staleTime: 60_000,
  });
}

/** Every stage of every pipeline by id (stage names and kinds for deals anywhere). */
export function useStageIndex() {
  const pipelines = usePipelines();
  const byId = useMemo(() => {
    const map = new Map<string, { stage: PipelineStage; pipeline: Pipeline }>();
    for (const pipeline of pipelines.data ?? []) for (const stage of pipeline.stages) map.set(stage.id, { stage, pipeline });
    return map;
  }, [pipelines.data]);
  return { byId, pipelines };
}

function withoutEmpty<T extends object>(filters: T): T {
  return Object.fromEntries(
    Object.entries(filters).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  ) as T;
}

/** The cache key of a board: unset filters are left out, so equal boards share one entry. */
export function boardKeyOf(pipelineId: string | undefined, filters: BoardFilters) {
  return pipelineKeys.board(pipelineId ?? '', withoutEmpty(filters));
}

/** The kanban's first page of every column, with counts and totals. */
export function useBoard(pipelineId: string | undefined, filters: BoardFilters) {
  const clean = withoutEmpty(filters);
  return useQuery({
    queryKey: boardKeyOf(pipelineId, filters),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET('/pipelines/{pipeline_id}/board', {
          params: { path: { pipeline_id: pipelineId! }, query: { ...clean, limit: BOARD_PAGE_SIZE } },
          signal,
        }),
      ),
    enabled: Boolean(pipelineId),
    placeholderData: keepPreviousData,
  });
}

/** "Load more" of one column: its next page is fetched with the column's cursor and appended. */
export function useLoadMoreColumn(pipelineId: string | undefined, filters: BoardFilters) {
  const queryClient = useQueryClient();
  const clean = withoutEmpty(filters);
  const key = boardKeyOf(pipelineId, filters);
  const [loading, setLoading] = useState<string | null>(null);
  const keyText = JSON.stringify(key);
  const load = useCallback(
    async (stageId: string, cursor: string) => {
      if (!pipelineId) return;
      setLoading(stageId);
      try {
        const page = unwrap(
          await api.GET('/pipelines/{pipeline_id}/board', {
            params: {
              path: { pipeline_id: pipelineId },
              query: { ...clean, stage_id: stageId, cursor, limit: BOARD_PAGE_SIZE },
            },
          }),
        );
        const column = page.columns[0];
        if (column) {
          queryClient.setQueryData<PipelineBoard>(key, (board) => (board ? appendColumnPage(board, column) : board));
        }
      } finally {
        setLoading(null);
      }
    },
    // `key` and `clean` are rebuilt each render; their text is the real dependency.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [queryClient, pipelineId, keyText],
  );
  return { load, loading };
}

/** A deal changed stage or status: boards, lists and its own views are stale. */
function invalidateDeal(queryClient: QueryClient, id: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: pipelineKeys.boards() }),
    queryClient.invalidateQueries({ queryKey: dealKeys.lists() }),
    queryClient.invalidateQueries({ queryKey: dealKeys.detail(id) }),
  ]);
}

export interface MoveVariables {
  deal: { id: string };
  body: OpportunityMove;
}

/**
 * One server call per drag (`POST /opportunities/{id}/move`). The board in `boardKey` changes
 * at once; a problem puts the old board back, and the server's board follows either way.
 */
export function useMoveDeal(boardKey: readonly unknown[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ deal, body }: MoveVariables) =>
      unwrap(
        await api.POST('/opportunities/{opportunity_id}/move', { params: { path: { opportunity_id: deal.id } }, body }),
      ),
    onMutate: async ({ deal, body }) => {
      await queryClient.cancelQueries({ queryKey: boardKey });
      const previous = queryClient.getQueryData<PipelineBoard>(boardKey);
      if (previous) queryClient.setQueryData(boardKey, moveOnBoard(previous, deal.id, body.stage_id));
      return { previous };
    },
    onError: (_error, _variables, context) => {
      if (context?.previous) queryClient.setQueryData(boardKey, context.previous);
    },
    onSuccess: (opportunity) => queryClient.setQueryData(dealKeys.detail(opportunity.id), opportunity),
    onSettled: (_data, _error, { deal }) => invalidateDeal(queryClient, deal.id),
  });
}

// --- deals ---------------------------------------------------------------------------------

export function useOpportunity(id: string | undefined) {
  return useQuery({
    queryKey: dealKeys.detail(id ?? ''),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/opportunities/{opportunity_id}', { params: { path: { opportunity_id: id! } }, signal })),
    enabled: Boolean(id),
  });
}

export function useOpportunityHistory(id: string) {
  return useQuery({
    queryKey: dealKeys.history(id),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/opportunities/{opportunity_id}/history', { params: { path: { opportunity_id: id } }, signal })),
  });
}

/** Keyset pages of deals for the list view. */
export function useOpportunityList(filters: DealListFilters) {
  const clean = withoutEmpty(filters);
  return useInfiniteQuery({
    queryKey: dealKeys.list(clean),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/opportunities', {
          params: { query: { ...clean, limit: DEALS_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    placeholderData: keepPreviousData,
  });
}

export function useCreateOpportunity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: OpportunityCreate) => unwrap(await api.POST('/opportunities', { body })),
    onSuccess: (deal) => {
      queryClient.setQueryData(dealKeys.detail(deal.id), deal);
      return invalidateDeal(queryClient, deal.id);
    },
  });
}

export function useUpdateOpportunity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ deal, body }: { deal: Opportunity; body: OpportunityUpdate }) =>
      unwrap(
        await api.PATCH('/opportunities/{opportunity_id}', {
          params: { path: { opportunity_id: deal.id }, header: { 'If-Match': ifMatch(deal.version) } },
          body,
        }),
      ),
    onSuccess: (deal) => {
      queryClient.setQueryData(dealKeys.detail(deal.id), deal);
      return invalidateDeal(queryClient, deal.id);
    },
  });
}

export function useDeleteOpportunity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (deal: Opportunity) => {
      await api.DELETE('/opportunities/{opportunity_id}', {
        params: { path: { opportunity_id: deal.id }, header: { 'If-Match': ifMatch(deal.version) } },
      });
    },
    onSuccess: (_data, deal) => invalidateDeal(queryClient, deal.id),
  });
}

export function useWinDeal() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: OpportunityWin }) =>
      unwrap(await api.POST('/opportunities/{opportunity_id}/win', { params: { path: { opportunity_id: id } }, body })),
    onSuccess: (deal) => {
      queryClient.setQueryData(dealKeys.detail(deal.id), deal);
      return invalidateDeal(queryClient, deal.id);
    },
  });
}

export function useLoseDeal() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: OpportunityLose }) =>
      unwrap(await api.POST('/opportunities/{opportunity_id}/lose', { params: { path: { opportunity_id: id } }, body })),
    onSuccess: (deal) => {
      queryClient.setQueryData(dealKeys.detail(deal.id), deal);
      return invalidateDeal(queryClient, deal.id);
    },
  });
}

/** A move outside the board (reopen from the detail page, a lost stage chosen in a dialog). */
export function useMoveDealPlain() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: OpportunityMove }) =>
      unwrap(await api.POST('/opportunities/{opportunity_id}/move', { params: { path: { opportunity_id: id } }, body })),
    onSuccess: (deal) => {
      queryClient.setQueryData(dealKeys.detail(deal.id), deal);
      return invalidateDeal(queryClient, deal.id);
    },
  });
}

export function useLostReasons(includeInactive = false) {
  return useQuery({
    queryKey: pipelineKeys.lostReasons(includeInactive),
    queryFn: ({ signal }) =>
      collectPages<LostReason>(async (cursor) =>
        unwrap(
          await api.GET('/lost-reasons', {
            params: {
              query: { ...(includeInactive ? {} : { active: true }), limit: 200, ...(cursor ? { cursor } : {}) },
            },
            signal,
          }),
        ),
      ),
    staleTime: 5 * 60_000,
  });
}

/** The contacts of the deal's customer (none until a customer is chosen). */
export function useCustomerContacts(customerId: string | null | undefined) {
  return useQuery({
    queryKey: customerKeys.contacts(customerId ?? ''),
    queryFn: ({ signal }) =>
      collectPages<Contact>(async (cursor) =>
        unwrap(
          await api.GET('/customers/{customer_id}/contacts', {
            params: { path: { customer_id: customerId! }, query: { limit: 200, ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        ),
      ),
    enabled: Boolean(customerId),
  });
}

// --- follow-ups on a deal ------------------------------------------------------------------

export function useDealActivities(opportunityId: string) {
  return useInfiniteQuery({
    queryKey: dealKeys.activities(opportunityId),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/activities', {
          params: {
            query: { opportunity_id: opportunityId, limit: 30, ...(pageParam ? { cursor: pageParam } : {}) },
          },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
  });
}

export function useCreateDealActivity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ActivityCreate): Promise<Activity> => unwrap(await api.POST('/activities', { body })),
    onSuccess: (activity) =>
      Promise.all([
        activity.opportunity_id
          ? queryClient.invalidateQueries({ queryKey: dealKeys.activities(activity.opportunity_id) })
          : undefined,
        activity.customer_id ? queryClient.invalidateQueries({ queryKey: customerKeys.detail(activity.customer_id) }) : undefined,
        queryClient.invalidateQueries({ queryKey: taskKeys.all }),
      ]),
  });
}

// --- campaigns (a deal's source) ------------------------------------------------------------

export type CampaignOption = Pick<components['schemas']['Campaign'], 'id' | 'name'>;

export function useCampaignOptions(enabled: boolean) {
  return useQuery({
    queryKey: [...pipelineKeys.all, 'campaign-options'] as const,
    queryFn: async ({ signal }): Promise<CampaignOption[]> =>
      unwrap(await api.GET('/campaigns', { params: { query: { limit: 200 } }, signal })).data.map((c) => ({
        id: c.id,
        name: c.name,
      })),
    enabled,
    staleTime: 5 * 60_000,
  });
}

// --- pipeline settings ---------------------------------------------------------------------

function invalidatePipelines(queryClient: QueryClient) {
  return queryClient.invalidateQueries({ queryKey: pipelineKeys.all });
}

export function useCreatePipeline() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: PipelineCreate) => unwrap(await api.POST('/pipelines', { body })),
    onSuccess: () => invalidatePipelines(queryClient),
  });
}

export function useUpdatePipeline() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ pipeline, body }: { pipeline: Pipeline; body: PipelineUpdate }) =>
      unwrap(
        await api.PATCH('/pipelines/{pipeline_id}', {
          params: { path: { pipeline_id: pipeline.id }, header: { 'If-Match': ifMatch(pipeline.version) } },
          body,
        }),
      ),
    onSuccess: () => invalidatePipelines(queryClient),
  });
}

export function useDeletePipeline() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (pipeline: Pipeline) => {
      await api.DELETE('/pipelines/{pipeline_id}', {
        params: { path: { pipeline_id: pipeline.id }, header: { 'If-Match': ifMatch(pipeline.version) } },
      });
    },
    onSuccess: () => invalidatePipelines(queryClient),
  });
}

export function useCreateStage(pipelineId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: PipelineStageCreate) =>
      unwrap(await api.POST('/pipelines/{pipeline_id}/stages', { params: { path: { pipeline_id: pipelineId } }, body })),
    onSuccess: () => invalidatePipelines(queryClient),
  });
}

export function useUpdateStage(pipelineId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ stage, body }: { stage: PipelineStage; body: PipelineStageUpdate }) =>
      unwrap(
        await api.PATCH('/pipelines/{pipeline_id}/stages/{stage_id}', {
          params: {
            path: { pipeline_id: pipelineId, stage_id: stage.id },
            header: { 'If-Match': ifMatch(stage.version) },
          },
          body,
        }),
      ),
    onSuccess: () => invalidatePipelines(queryClient),
  });
}

export function useDeleteStage(pipelineId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ stage, moveTo }: { stage: PipelineStage; moveTo?: string | null }) => {
      await api.DELETE('/pipelines/{pipeline_id}/stages/{stage_id}', {
        params: {
          path: { pipeline_id: pipelineId, stage_id: stage.id },
          query: moveTo ? { move_to_stage_id: moveTo } : {},
        },
      });
    },
    onSuccess: () => Promise.all([invalidatePipelines(queryClient), queryClient.invalidateQueries({ queryKey: dealKeys.all })]),
  });
}

export function useReorderStages(pipelineId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (stageIds: string[]) =>
      unwrap(
        await api.POST('/pipelines/{pipeline_id}/stages/reorder', {
          params: { path: { pipeline_id: pipelineId } },
          body: { stage_ids: stageIds },
        }),
      ),
    onSuccess: () => invalidatePipelines(queryClient),
  });
}

export function useSaveLostReason() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({
      reason,
      body,
    }: {
      reason?: LostReason;
      body: { label_zh?: string; label_en?: string; active?: boolean };
    }) =>
      reason
        ? unwrap(
            await api.PATCH('/lost-reasons/{reason_id}', {
              params: { path: { reason_id: reason.id }, header: { 'If-Match': ifMatch(reason.version) } },
              body,
            }),
          )
        : unwrap(
            await api.POST('/lost-reasons', {
              body: { label_zh: body.label_zh ?? '', label_en: body.label_en ?? '' },
            }),
          ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...pipelineKeys.all, 'lost-reasons'] }),
  });
}
