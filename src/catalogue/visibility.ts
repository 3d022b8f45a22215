import type { Viewer } from '../auth/principal';
import type { SqlParams } from '../database/sql-params';
import { PUBLIC_LIFECYCLE_STATUSES } from './entry.entity';

/**
 * The visibility rule (DESIGN §5) as one SQL condition on an entry alias. Every read of entries
 * (get, list, search, facets, counts, suggest, history, transfers, reviews...) includes it; nothing
 * else decides who sees what. A caller sees an entry when:
 *   - it is published, deprecated or retired (everyone);
 *   - they are a member of its owner organisation (any role);
 *   - they administer the organisation a pending transfer of it would go to;
 *   - it is in review and their organisation is an assigned reviewer of the open review;
 *   - it is unclaimed and they administer some organisation (so they can claim it);
 *   - they are a coordinator or admin (everything).
 */
export function visibleToSql(viewer: Viewer, params: SqlParams, alias = 'e'): string {
  if (viewer.seesAll) return 'TRUE';
  const publicStates = PUBLIC_LIFECYCLE_STATUSES.map((s) => `'${s}'`).join(', ');
  const conditions = [`${alias}.lifecycle_status IN (${publicStates})`];
  if (viewer.memberOf.length) {
    const member = `${params.add(viewer.memberOf)}::uuid[]`;
    conditions.push(`${alias}.owner_id = ANY(${member})`);
    conditions.push(
      `(${alias}.lifecycle_status = 'in_review' AND EXISTS (SELECT 1 FROM reviews vr WHERE vr.entry_id = ${alias}.id AND vr.status = 'open' AND vr.reviewer_org_ids && ${member}))`,
    );
  }
  if (viewer.adminOf.length) {
    const admin = `${params.add(viewer.adminOf)}::uuid[]`;
    conditions.push(`EXISTS (SELECT 1 FROM transfers vt WHERE vt.entry_id = ${alias}.id AND vt.status = 'pending' AND vt.to_org_id = ANY(${admin}))`);
    conditions.push(`${alias}.owner_id IS NULL`);
  }
  return `(${conditions.join(' OR ')})`;
}

/** A string literal of Meilisearch's filter language. */
export function meiliString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The same rule as a Meilisearch filter over the documents' visibility fields
 * (search/search-documents.ts), or undefined when the viewer sees everything. Kept beside the SQL
 * form so the two cannot drift apart unnoticed.
 */
export function visibleToMeiliFilter(viewer: Viewer): string | undefined {
  if (viewer.seesAll) return undefined;
  const list = (ids: string[]) => `[${ids.map(meiliString).join(', ')}]`;
  const conditions = [`lifecycleStatus IN ${list([...PUBLIC_LIFECYCLE_STATUSES])}`];
  if (viewer.memberOf.length) {
    conditions.push(`ownerId IN ${list(viewer.memberOf)}`);
    conditions.push(`(lifecycleStatus = "in_review" AND reviewerOrgIds IN ${list(viewer.memberOf)})`);
  }
  if (viewer.adminOf.length) {
    conditions.push(`transferToOrgIds IN ${list(viewer.adminOf)}`);
    conditions.push('unclaimed = true');
  }
  return `(${conditions.join(' OR ')})`;
}
