export { buildTeamTree, teamKeys, useCreateTeam, useDeleteTeam, useTeams, useUpdateTeam } from './api';
export type { TeamNode } from './api';
