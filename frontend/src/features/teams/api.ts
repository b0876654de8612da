import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, ifMatch, unwrap } from '../../api/client';
import type { Page, Team, TeamCreate, TeamUpdate } from '../../api/types';

export const teamKeys = {
  all: ['teams'] as const,
  list: () => [...teamKeys.all, 'list'] as const,
};

/** The team tree is small: fetch every page (200 at a time) and build the tree client-side. */
export function useTeams() {
  return useQuery({
    queryKey: teamKeys.list(),
    queryFn: async ({ signal }) => {
      const teams: Team[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Team> = unwrap(
          await api.GET('/teams', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } }, signal }),
        );
        teams.push(...page.data);
        cursor = page.has_more ? page.next_cursor : null;
      } while (cursor);
      return teams;
    },
  });
}

export function useCreateTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: TeamCreate) => unwrap(await api.POST('/teams', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamKeys.all }),
  });
}

export function useUpdateTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, version, body }: { id: string; version: number; body: TeamUpdate }) =>
      unwrap(
        await api.PATCH('/teams/{team_id}', {
          params: { path: { team_id: id }, header: { 'If-Match': ifMatch(version) } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamKeys.all }),
  });
}

export function useDeleteTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, version }: { id: string; version: number }) => {
      unwrap(
        await api.DELETE('/teams/{team_id}', {
          params: { path: { team_id: id }, header: { 'If-Match': ifMatch(version) } },
        }),
      );
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamKeys.all }),
  });
}

export interface TeamNode {
  key: string;
  team: Team;
  children: TeamNode[];
}

/** Parent links → nested nodes, siblings by name; a team whose parent is unknown becomes a root. */
export function buildTeamTree(teams: readonly Team[], locale = 'zh-CN'): TeamNode[] {
  const nodes = new Map<string, TeamNode>();
  for (const team of teams) nodes.set(team.id, { key: team.id, team, children: [] });
  const roots: TeamNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.team.parent_id ? nodes.get(node.team.parent_id) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const collator = new Intl.Collator(locale);
  const sort = (list: TeamNode[]) => {
    list.sort((a, b) => collator.compare(a.team.name, b.team.name));
    list.forEach((node) => sort(node.children));
  };
  sort(roots);
  return roots;
}
