import { isApiProblem } from '../../api/problem';
import i18n from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { problemMessage } from '../../lib/problems';

/** A refused claim in words, with the details the problem carries (who was first, limits). */
export function claimMessage(error: unknown): string {
  if (!isApiProblem(error)) return problemMessage(error);
  const x = error.extensions;
  switch (error.code) {
    case 'already_claimed':
      return typeof x.owner_name === 'string' && x.owner_name
        ? i18n.t('pools.claimedBy', { name: x.owner_name })
        : problemMessage(error);
    case 'holding_cap_reached':
      return typeof x.cap === 'number' ? i18n.t('pools.capReached', { cap: x.cap }) : problemMessage(error);
    case 'daily_claim_limit':
      return typeof x.limit === 'number' ? i18n.t('pools.dailyLimit', { limit: x.limit }) : problemMessage(error);
    case 'cooldown':
      return typeof x.available_at === 'string'
        ? i18n.t('pools.cooldownUntil', { time: formatDateTime(x.available_at) })
        : problemMessage(error);
    default:
      return problemMessage(error);
  }
}
