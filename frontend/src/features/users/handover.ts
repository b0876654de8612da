import { translateIfExists } from '../../i18n';

/** What a departing user still owns, by entity, as the `owns_records` problem reports it. */
export type OwnedCounts = Record<string, number>;

export function entityLabel(entity: string, count: number): string {
  const label = translateIfExists(`handover.entities.${entity}`) ?? entity;
  return `${count} ${label}`;
}
