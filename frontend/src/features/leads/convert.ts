import { isApiProblem } from '../../api/problem';
import type { DuplicateCandidate } from '../../api/types';

export interface ConvertConflict {
  candidates: DuplicateCandidate[];
  /** Workspace policy refuses a second record: merging is the only way. */
  blocked: boolean;
}

/** The duplicate candidates a refused conversion names, or null for any other failure. */
export function convertConflict(error: unknown): ConvertConflict | null {
  if (!isApiProblem(error)) return null;
  if (error.code !== 'duplicate_customer' && error.code !== 'duplicate_blocked') return null;
  const candidates = Array.isArray(error.extensions.candidates)
    ? (error.extensions.candidates as DuplicateCandidate[])
    : [];
  return { candidates, blocked: error.code === 'duplicate_blocked' };
}

export const CREATE_NEW = 'new';

/** The first sensible choice: the first candidate the user may merge into, else a new one. */
export function defaultChoice(conflict: ConvertConflict): string | undefined {
  const mergeable = conflict.candidates.find((c) => c.in_your_scope);
  if (mergeable) return mergeable.customer_id;
  return conflict.blocked ? undefined : CREATE_NEW;
}
