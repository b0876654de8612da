import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, API_BASE_URL, unwrap } from '../../api/client';
import type { ImportDuplicatePolicy, ImportEntity, ImportJob } from '../../api/types';
import { customerKeys } from '../customers/api';

export const importKeys = {
  all: ['imports'] as const,
  fields: (entity: ImportEntity) => [...importKeys.all, 'fields', entity] as const,
  job: (id: string) => [...importKeys.all, 'job', id] as const,
};

export interface UploadInput {
  file: File;
  entity: ImportEntity;
  duplicatePolicy: ImportDuplicatePolicy;
  /** File column → target field (null: ignore the column); omitted: the server suggests one. */
  mapping?: Record<string, string | null>;
}

/** The fields a column can go into (custom fields included), for the mapping step. */
export function useImportFields(entity: ImportEntity) {
  return useQuery({
    queryKey: importKeys.fields(entity),
    queryFn: async ({ signal }) => unwrap(await api.GET('/imports/fields', { params: { query: { entity } }, signal })),
    staleTime: 5 * 60_000,
  });
}

/** Uploads the file as a dry run: validated and reported, nothing written. */
export function useDryRun() {
  return useMutation({
    mutationFn: async ({ file, entity, duplicatePolicy, mapping }: UploadInput) =>
      unwrap(
        await api.POST('/imports', {
          body: {
            // The contract types the file part as a string; the form data carries the File.
            file: file as unknown as string,
            entity,
            duplicate_policy: duplicatePolicy,
            dry_run: true,
            mapping: mapping ? JSON.stringify(mapping) : null,
          },
          bodySerializer: (body) => {
            const form = new FormData();
            form.append('file', file, file.name);
            form.append('entity', body.entity);
            form.append('duplicate_policy', body.duplicate_policy);
            form.append('dry_run', 'true');
            if (body.mapping) form.append('mapping', body.mapping);
            return form;
          },
        }),
      ),
  });
}

export function useRunImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.POST('/imports/{import_id}/run', { params: { path: { import_id: id } } })),
    onSuccess: (job) => queryClient.setQueryData(importKeys.job(job.id), job),
  });
}

const RUNNING = new Set(['validating', 'queued', 'running']);

/** One import, polled every second while it runs. */
export function useImportJob(id: string | undefined) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: importKeys.job(id ?? ''),
    queryFn: async ({ signal }) => {
      const job = unwrap(await api.GET('/imports/{import_id}', { params: { path: { import_id: id! } }, signal }));
      if (job.status === 'succeeded') void queryClient.invalidateQueries({ queryKey: customerKeys.all });
      return job;
    },
    enabled: Boolean(id),
    refetchInterval: (query) => (query.state.data && RUNNING.has(query.state.data.status) ? 1000 : false),
  });
}

export function isRunning(job: Pick<ImportJob, 'status'>): boolean {
  return RUNNING.has(job.status);
}

/** Every rejected row as CSV (a plain download link). */
export function errorsCsvUrl(id: string, lang: 'zh-CN' | 'en'): string {
  return `${API_BASE_URL}/imports/${id}/errors.csv?lang=${lang}`;
}
