import type { GlobalRole } from './api-key.entity';

/** Who is calling. Anonymous callers have no principal. */
export interface Principal {
  type: 'api_key';
  id: string;
  name: string;
  /** Global role; organisation roles arrive with user identity. */
  role: GlobalRole;
}

/**
 * What a caller may see: the one input of the visibility rule (DESIGN §5), built from the principal
 * and passed to every read. Anonymous: published, deprecated and retired entries only.
 */
export interface Viewer {
  principal?: Principal;
  /** Coordinators and admins see every entry in every state. */
  seesAll: boolean;
  /** Organisations whose drafts and entries in review the caller sees. */
  memberOf: string[];
}

export const ANONYMOUS: Viewer = Object.freeze({ seesAll: false, memberOf: [] as string[] }) as Viewer;

export function viewerOf(principal: Principal | undefined): Viewer {
  if (!principal) return ANONYMOUS;
  return { principal, seesAll: principal.role === 'admin' || principal.role === 'coordinator', memberOf: [] };
}

export function actorOf(viewer: Viewer): string {
  return viewer.principal ? `api-key:${viewer.principal.name}` : 'anonymous';
}
