import { HttpStatus } from '@nestjs/common';
import type { Viewer } from '../auth/principal';
import type { OrganisationRole } from '../auth/user.entity';
import { DomainError } from '../common/domain-error';
import type { LifecycleStatus } from './entry.entity';

/**
 * Who may do what to an entry: the one place that decides it, for every kind. (Who may *see* an entry
 * is visibility.ts; every decision here is taken on an entry the caller can already see, so a refusal
 * is 403, while an entry they cannot see is 404 before any of this runs.)
 */

/** What the policy needs to know about an entry. */
export interface EntryFacts {
  ownerId: string | null;
  status: LifecycleStatus;
  /** Organisations assigned to the open review, if the entry is in review. */
  reviewerOrgIds: string[];
}

export const TRANSITION_ACTIONS = ['submit', 'withdraw', 'approve', 'request-changes', 'deprecate', 'reinstate', 'retire', 'send-back'] as const;
export type TransitionAction = (typeof TRANSITION_ACTIONS)[number];

/** Who performs a transition: the owner's editors and admins, a reviewer, or a coordinator. Coordinators may perform all. */
type Performer = 'owner' | 'reviewer' | 'coordinator';

export interface TransitionRule {
  from: LifecycleStatus[];
  to: LifecycleStatus;
  by: Performer;
  commentRequired?: boolean;
  summary: string;
}

/** The lifecycle (DESIGN §5). Any other move is the coordinators' `lifecycle` override. */
export const TRANSITIONS: Record<TransitionAction, TransitionRule> = {
  submit: { from: ['draft'], to: 'in_review', by: 'owner', summary: 'Submit a draft for review (owner editors and admins)' },
  withdraw: { from: ['in_review'], to: 'draft', by: 'owner', summary: 'Withdraw from review back to draft (owner editors and admins)' },
  approve: { from: ['in_review'], to: 'published', by: 'reviewer', summary: 'Approve and publish (coordinators and assigned reviewers)' },
  'request-changes': { from: ['in_review'], to: 'draft', by: 'reviewer', commentRequired: true, summary: 'Send back to the owner with changes requested; a comment is required (coordinators and assigned reviewers)' },
  deprecate: { from: ['published'], to: 'deprecated', by: 'owner', summary: 'Mark a published entry deprecated (owner editors and admins)' },
  reinstate: { from: ['deprecated'], to: 'published', by: 'owner', summary: 'Undo a deprecation (owner editors and admins)' },
  retire: { from: ['deprecated'], to: 'retired', by: 'owner', summary: 'Retire a deprecated entry (owner editors and admins)' },
  'send-back': { from: ['published', 'deprecated'], to: 'in_review', by: 'coordinator', summary: 'Send a published entry back to review (coordinators)' },
};

const RANK: Record<OrganisationRole, number> = { viewer: 1, editor: 2, admin: 3 };

export function roleIn(viewer: Viewer, orgId: string | null): OrganisationRole | undefined {
  if (!orgId) return undefined;
  return viewer.principal?.memberships.find((m) => m.organisationId === orgId)?.role;
}

function atLeast(viewer: Viewer, orgId: string | null, role: OrganisationRole): boolean {
  const r = roleIn(viewer, orgId);
  return !!r && RANK[r] >= RANK[role];
}

export function isCoordinator(viewer: Viewer): boolean {
  const g = viewer.principal?.globalRole;
  return g === 'coordinator' || g === 'admin';
}

/** An editor or admin of an organisation assigned to the entry's open review. */
export function isAssignedReviewer(viewer: Viewer, e: EntryFacts): boolean {
  return e.status === 'in_review' && e.reviewerOrgIds.some((id) => atLeast(viewer, id, 'editor'));
}

/** Restricted fields and review comments: owner members, reviewers of the open review, coordinators. */
export function seesRestricted(viewer: Viewer, e: Pick<EntryFacts, 'ownerId' | 'reviewerOrgIds' | 'status'>): boolean {
  if (viewer.seesAll) return true;
  if (e.ownerId && viewer.memberOf.includes(e.ownerId)) return true;
  return e.status === 'in_review' && e.reviewerOrgIds.some((id) => viewer.memberOf.includes(id));
}

export function mayCreate(viewer: Viewer, ownerId: string | null): boolean {
  return isCoordinator(viewer) || atLeast(viewer, ownerId, 'editor');
}

export function mayEdit(viewer: Viewer, e: EntryFacts): boolean {
  return isCoordinator(viewer) || atLeast(viewer, e.ownerId, 'editor');
}

export function mayTransition(viewer: Viewer, e: EntryFacts, action: TransitionAction): boolean {
  if (isCoordinator(viewer)) return true;
  switch (TRANSITIONS[action].by) {
    case 'owner':
      return atLeast(viewer, e.ownerId, 'editor');
    case 'reviewer':
      return isAssignedReviewer(viewer, e);
    default:
      return false;
  }
}

export function mayRequestTransfer(viewer: Viewer, e: EntryFacts): boolean {
  return !!e.ownerId && mayEdit(viewer, e);
}

/** A claim of an unclaimed entry for `orgId`: its admins, who are the ones who see unclaimed entries (a coordinator confirms it). */
export function mayClaim(viewer: Viewer, orgId: string): boolean {
  return isCoordinator(viewer) || atLeast(viewer, orgId, 'admin');
}

/** Accept or decline: an admin of the receiving organisation; a claim is confirmed by a coordinator. */
export function mayDecideTransfer(viewer: Viewer, t: { kind: string; toOrgId: string }): boolean {
  if (isCoordinator(viewer)) return true;
  return t.kind === 'transfer' && atLeast(viewer, t.toOrgId, 'admin');
}

/** Cancel: the side that asked (editors and admins of the owner; admins of a claiming organisation). */
export function mayCancelTransfer(viewer: Viewer, t: { kind: string; fromOrgId: string | null; toOrgId: string }): boolean {
  if (isCoordinator(viewer)) return true;
  return t.kind === 'claim' ? atLeast(viewer, t.toOrgId, 'admin') : atLeast(viewer, t.fromOrgId, 'editor');
}

export function mayReassign(viewer: Viewer): boolean {
  return isCoordinator(viewer);
}

/** Throws 401 for anonymous callers and 403 for signed-in callers who may not (on an entry they can see). */
export function assertAllowed(viewer: Viewer, allowed: boolean, message: string): void {
  if (allowed) return;
  if (!viewer.principal) throw new DomainError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'This operation needs credentials: Authorization: Bearer <token> or ApiKey <key>');
  throw new DomainError(HttpStatus.FORBIDDEN, 'FORBIDDEN', message);
}
