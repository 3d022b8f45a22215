import type { Viewer } from '../auth/principal';
import type { EntryRow } from './catalogue.repository';

/**
 * Who may create or remove a relation: editors of the source entry's owner organisation.
 * Until organisation roles exist (issue 3) that is a global admin or coordinator; the routes also
 * require those roles. This is the one place the roles work plugs into.
 */
export function canEditRelationsOf(viewer: Viewer, source: Pick<EntryRow, 'owner_id'>): boolean {
  if (viewer.seesAll) return true;
  return !!source.owner_id && viewer.memberOf.includes(source.owner_id);
}
