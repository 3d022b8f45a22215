import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { actorIdOf, Viewer } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import type { Page } from '../common/pagination.dto';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { assertAllowed, EntryFacts, isAssignedReviewer, isCoordinator, roleIn, seesRestricted } from './entry-policy';
import type { EntryKind, LifecycleStatus } from './entry.entity';
import type { ReviewDecision } from './workflow.entity';
import { CatalogueService } from './catalogue.service';
import { DecisionRow, ReviewRow, WorkflowRepository } from './workflow.repository';

const PATH_OF_KIND: Record<EntryKind, string> = { system: 'systems', dataset: 'datasets', eservice: 'eservices' };

export interface ReviewResponse {
  id: string;
  entry: { kind: string; code: string; name: string; href: string; lifecycleStatus: string };
  status: string;
  outcome: string | null;
  deadline: string;
  overdue: boolean;
  reviewers: string[];
  decisions: { decision: string; comment: string | null; by: string | null; organisation: string | null; at: string }[];
  createdAt: string;
  closedAt: string | null;
}

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

function factsOfReview(r: ReviewRow): EntryFacts {
  return { ownerId: r.entry_owner_id, status: r.entry_status as LifecycleStatus, reviewerOrgIds: r.status === 'open' ? r.reviewer_org_ids : [] };
}

function toReview(r: ReviewRow, decisions: DecisionRow[]): ReviewResponse {
  const deadline = String(r.deadline).slice(0, 10);
  return {
    id: r.id,
    entry: { kind: r.entry_kind, code: r.entry_code, name: r.entry_name, href: `/api/v1/${PATH_OF_KIND[r.entry_kind]}/${r.entry_code}`, lifecycleStatus: r.entry_status },
    status: r.status,
    outcome: r.outcome,
    deadline,
    overdue: r.status === 'open' && deadline < new Date().toISOString().slice(0, 10),
    reviewers: r.reviewer_codes ?? [],
    decisions: decisions.map((d) => ({ decision: d.decision, comment: d.comment, by: d.user_name, organisation: d.organisation_code, at: new Date(d.created_at).toISOString() })),
    createdAt: new Date(r.created_at).toISOString(),
    closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
  };
}

/**
 * Reviews before publication. Opening and closing them follows the lifecycle (CatalogueService);
 * here: what waits for whom, decisions of reviewer organisations, and assigning them. Reviews and
 * their comments are seen by the owner's members, the reviewers and coordinators only.
 */
@Injectable()
export class ReviewsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workflow: WorkflowRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly catalogue: CatalogueService,
  ) {}

  async list(viewer: Viewer, q: { assigned?: string; status?: string; limit: number; offset: number }): Promise<Page<ReviewResponse>> {
    assertAllowed(viewer, !!viewer.principal, '');
    if (q.assigned !== undefined && q.assigned !== 'me') throw DomainError.validation([{ field: 'assigned', message: 'assigned can only be "me"' }]);
    const { rows, total } = await this.workflow.listReviews(viewer, { assignedToMe: q.assigned === 'me', status: q.status }, q.limit, q.offset);
    const decisions = await this.workflow.decisions(this.dataSource, rows.map((r) => r.id));
    return { items: rows.map((r) => toReview(r, decisions.filter((d) => d.review_id === r.id))), total, limit: q.limit, offset: q.offset };
  }

  async get(viewer: Viewer, id: string): Promise<ReviewResponse> {
    const r = await this.mustFind(viewer, id);
    return toReview(r, await this.workflow.decisions(this.dataSource, [r.id]));
  }

  /** A reviewer's (or coordinator's) decision on an open review, recorded without moving the entry. */
  async decide(viewer: Viewer, id: string, decision: ReviewDecision, comment: string | undefined): Promise<ReviewResponse> {
    await this.dataSource.transaction(async (tx) => {
      const r = await this.mustFind(viewer, id, tx);
      const facts = factsOfReview(r);
      assertAllowed(viewer, isCoordinator(viewer) || isAssignedReviewer(viewer, facts), 'Only coordinators and editors or admins of an assigned reviewer organisation decide on a review');
      if (r.status !== 'open') throw DomainError.conflict('REVIEW_CLOSED', 'This review is closed');
      if (decision === 'request_changes' && !comment?.trim()) throw DomainError.validation([{ field: 'comment', message: 'a comment is required to request changes' }]);
      const org = isCoordinator(viewer) ? undefined : r.reviewer_org_ids.find((o) => ['editor', 'admin'].includes(roleIn(viewer, o) ?? ''));
      await this.workflow.addDecision(tx, { reviewId: r.id, userId: actorIdOf(viewer), organisationId: org ?? null, decision, comment: comment ?? null });
    });
    return this.get(viewer, id);
  }

  /** Coordinators designate an organisation to review this entry (its members then see it while in review). */
  async addReviewer(viewer: Viewer, id: string, organisation: string): Promise<ReviewResponse> {
    await this.dataSource.transaction(async (tx) => {
      const r = await this.mustFind(viewer, id, tx);
      assertAllowed(viewer, isCoordinator(viewer), 'Only coordinators assign reviewers');
      if (r.status !== 'open') throw DomainError.conflict('REVIEW_CLOSED', 'This review is closed');
      const orgId = await this.organisations.findIdByCode(tx, organisation);
      if (!orgId) throw DomainError.validation([{ field: 'organisation', message: `no organisation has the code ${JSON.stringify(organisation.slice(0, 100))}` }]);
      if (orgId === r.entry_owner_id) throw DomainError.conflict('REVIEWER_IS_OWNER', 'The owner organisation cannot review its own entry');
      await this.workflow.addReviewer(tx, r.id, orgId);
      await this.catalogue.indexLater(tx, r.entry_id); // reviewers see the entry: a visibility field of its search document
    });
    return this.get(viewer, id);
  }

  /** A review the viewer may read (owner's members, reviewers, coordinators); otherwise 404. */
  private async mustFind(viewer: Viewer, id: string, db = this.dataSource.manager): Promise<ReviewRow> {
    const r = isUuid(id) ? await this.workflow.findReview(viewer, id, db) : undefined;
    if (!r || !seesRestricted(viewer, factsOfReview(r))) throw new DomainError(HttpStatus.NOT_FOUND, 'REVIEW_NOT_FOUND', `No review ${JSON.stringify(id.slice(0, 100))} is visible to you`);
    return r;
  }
}
