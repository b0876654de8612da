import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, ifMatch, unwrap } from '../../api/client';
import type { components, operations } from '../../api/types';
import { collectPages } from '../../lib/pages';

type Schemas = components['schemas'];
export type AssignmentRule = Schemas['AssignmentRule'];
export type RuleConditions = Schemas['RuleConditions'];
export type Strategy = Schemas['Strategy'];
export type RulePreview = Schemas['RulePreview'];
export type AssignmentRuleCreate =
  operations['assignment-rules:create_rule']['requestBody']['content']['application/json'];
export type AssignmentRuleUpdate =
  operations['assignment-rules:update_rule']['requestBody']['content']['application/json'];
export type PreviewLead = operations['assignment-rules:preview_rule']['requestBody']['content']['application/json'];

export const STRATEGIES: readonly Strategy[] = ['round_robin', 'weighted', 'least_loaded', 'fixed_user', 'team'];

export const ruleKeys = {
  all: ['assignment-rules'] as const,
  list: () => [...ruleKeys.all, 'list'] as const,
};

/** Every rule in the order they are tried (a workspace has a handful). */
export function useRules() {
  return useQuery({
    queryKey: ruleKeys.list(),
    queryFn: ({ signal }) =>
      collectPages<AssignmentRule>(async (cursor) =>
        unwrap(
          await api.GET('/assignment-rules', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } }, signal }),
        ),
      ),
  });
}

export function useSaveRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ rule, body }: { rule?: AssignmentRule; body: AssignmentRuleCreate }) =>
      rule
        ? unwrap(
            await api.PATCH('/assignment-rules/{rule_id}', {
              params: { path: { rule_id: rule.id }, header: { 'If-Match': ifMatch(rule.version) } },
              body: body,
            }),
          )
        : unwrap(await api.POST('/assignment-rules', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ruleKeys.all }),
  });
}

export function useSetRuleActive() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ rule, active }: { rule: AssignmentRule; active: boolean }) =>
      unwrap(
        await api.PATCH('/assignment-rules/{rule_id}', {
          params: { path: { rule_id: rule.id }, header: { 'If-Match': ifMatch(rule.version) } },
          body: { active },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ruleKeys.all }),
  });
}

/** A new order in one call, shown at once and rolled back when refused. */
export function useReorderRules() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (rules: AssignmentRule[]) =>
      unwrap(await api.POST('/assignment-rules/reorder', { body: { rule_ids: rules.map((r) => r.id) } })),
    onMutate: async (rules) => {
      await queryClient.cancelQueries({ queryKey: ruleKeys.list() });
      const before = queryClient.getQueryData<AssignmentRule[]>(ruleKeys.list());
      queryClient.setQueryData(
        ruleKeys.list(),
        rules.map((rule, i) => ({ ...rule, position: i + 1 })),
      );
      return { before };
    },
    onError: (_error, _rules, context) => queryClient.setQueryData(ruleKeys.list(), context?.before),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ruleKeys.all }),
  });
}

export function useDeleteRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (rule: AssignmentRule) => {
      await api.DELETE('/assignment-rules/{rule_id}', { params: { path: { rule_id: rule.id } } });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ruleKeys.all }),
  });
}

export function usePreviewRules() {
  return useMutation({
    mutationFn: async (body: PreviewLead) => unwrap(await api.POST('/assignment-rules/preview', { body })),
  });
}
