import type { Viewer } from '../auth/principal';
import type { EntryRow } from './catalogue.repository';
import { mayCreate } from './entry-policy';

/**
 * Who may create or remove a relation: editors and admins of the source entry's owner, coordinators,
 * and the system (imports and the demo seed, which see everything).
 */
export function canEditRelationsOf(viewer: Viewer, source: Pick<EntryRow, 'owner_id'>): boolean {
  return viewer.seesAll || (!!source.owner_id && mayCreate(viewer, source.owner_id));
}
