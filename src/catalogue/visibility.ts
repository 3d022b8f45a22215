import type { Viewer } from '../auth/principal';
import type { SqlParams } from '../database/sql-params';
import { PUBLIC_LIFECYCLE_STATUSES } from './entry.entity';

/**
 * The visibility rule (DESIGN §5) as one SQL condition on an entry alias. Every read of entries
 * (get, list, search, facets, counts, history...) includes it; nothing else decides who sees what.
 */
export function visibleToSql(viewer: Viewer, params: SqlParams, alias = 'e'): string {
  if (viewer.seesAll) return 'TRUE';
  const publicStates = PUBLIC_LIFECYCLE_STATUSES.map((s) => `'${s}'`).join(', ');
  const conditions = [`${alias}.lifecycle_status IN (${publicStates})`];
  if (viewer.memberOf.length) conditions.push(`${alias}.owner_id = ANY(${params.add(viewer.memberOf)}::uuid[])`);
  return `(${conditions.join(' OR ')})`;
}
