import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, API_BASE_URL, unwrap } from '../../api/client';
import type { ReportGenerate, ReportListQuery } from './types';

export const REPORTS_PAGE_SIZE = 30;

export type ReportFilters = Pick<ReportListQuery, 'kind' | 'subject_kind' | 'user_id' | 'team_id'>;

export const reportKeys = {
  all: ['reports'] as const,
  lists: () => [...reportKeys.all, 'list'] as const,
  list: (filters: ReportFilters) => [...reportKeys.lists(), filters] as const,
  detail: (id: string) => [...reportKeys.all, 'detail', id] as const,
};

function present(filters: ReportFilters): ReportFilters {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

/** Keyset pages of stored reports in scope, newest period first. */
export function useReportList(filters: ReportFilters) {
  const query = present(filters);
  return useInfiniteQuery({
    queryKey: reportKeys.list(query),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/reports', {
          params: { query: { ...query, limit: REPORTS_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    placeholderData: keepPreviousData,
  });
}

export function useReport(id: string) {
  return useQuery({
    queryKey: reportKeys.detail(id),
    queryFn: async ({ signal }) => unwrap(await api.GET('/reports/{report_id}', { params: { path: { report_id: id } }, signal })),
  });
}

/** Computes a report now (replacing a stored one of the period); refreshes lists. */
export function useGenerateReport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ReportGenerate) => unwrap(await api.POST('/reports/generate', { body })),
    onSuccess: (report) => {
      queryClient.setQueryData(reportKeys.detail(report.id), report);
      return queryClient.invalidateQueries({ queryKey: reportKeys.lists() });
    },
  });
}

/** Where the browser downloads a report's workbook (a plain link: the session cookie goes along). */
export function xlsxUrl(id: string, language: string): string {
  const lang = language === 'en' ? 'en' : 'zh-CN';
  return `${API_BASE_URL}/reports/${encodeURIComponent(id)}/xlsx?lang=${lang}`;
}
