import type { GlobalRole, OrganisationRole, UserKind } from './user.entity';

/** A role the caller holds in one organisation. */
export interface Membership {
  organisationId: string;
  organisationCode: string;
  organisationName: string;
  role: OrganisationRole;
}

/** Who is calling: a user (OpenID Connect or one of their API keys) or a service account (API key). */
export interface Principal {
  userId: string;
  kind: UserKind;
  name: string;
  email: string | null;
  globalRole: GlobalRole | null;
  memberships: Membership[];
  /** How this request was authenticated. */
  via: 'oidc' | 'api_key';
  apiKeyId?: string;
}

/**
 * What a caller may see and do: the one input of the visibility rule (DESIGN §5) and of the entry
 * policy, built from the principal once per request and passed to every read and write.
 */
export interface Viewer {
  principal?: Principal;
  /** Global coordinators and admins see every entry in every state. */
  seesAll: boolean;
  /** Organisations (ids) the caller is a member of, in any role. */
  memberOf: string[];
  /** Organisations (ids) the caller administers. */
  adminOf: string[];
}

export const ANONYMOUS: Viewer = Object.freeze({ seesAll: false, memberOf: [] as string[], adminOf: [] as string[] }) as Viewer;

export function viewerOf(principal: Principal | undefined): Viewer {
  if (!principal) return ANONYMOUS;
  return {
    principal,
    seesAll: principal.globalRole === 'admin' || principal.globalRole === 'coordinator',
    memberOf: principal.memberships.map((m) => m.organisationId),
    adminOf: principal.memberships.filter((m) => m.role === 'admin').map((m) => m.organisationId),
  };
}

/** A system viewer for imports, seeding and the CLI: sees everything. */
export const SYSTEM_VIEWER: Viewer = Object.freeze({ seesAll: true, memberOf: [] as string[], adminOf: [] as string[] }) as Viewer;

/** The label kept in revisions (the actor's id is kept beside it). */
export function actorOf(viewer: Viewer): string {
  const p = viewer.principal;
  if (!p) return 'anonymous';
  return p.kind === 'service' ? `service:${p.name}` : p.name;
}

export function actorIdOf(viewer: Viewer): string | null {
  return viewer.principal?.userId ?? null;
}
