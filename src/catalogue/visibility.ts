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

/** A string literal of Meilisearch's filter language. */
export function meiliString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The same rule as a Meilisearch filter over the documents' `lifecycleStatus` and `ownerId` fields
 * (search/search-documents.ts), or undefined when the viewer sees everything. Kept beside the SQL
 * form so the two cannot drift apart unnoticed.
 */
export function visibleToMeiliFilter(viewer: Viewer): string | undefined {
  if (viewer.seesAll) return undefined;
  const conditions = [`lifecycleStatus IN [${PUBLIC_LIFECYCLE_STATUSES.map(meiliString).join(', ')}]`];
  if (viewer.memberOf.length) conditions.push(`ownerId IN [${viewer.memberOf.map(meiliString).join(', ')}]`);
  return `(${conditions.join(' OR ')})`;
}
