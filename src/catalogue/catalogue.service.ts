import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { actorIdOf, actorOf, SYSTEM_VIEWER, Viewer } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { assertVersion, staleVersion } from '../common/etag';
import type { Page } from '../common/pagination.dto';
import { jsonEqual, mergePatch } from '../common/text';
import { assertObjectBody, validatePlain } from '../common/validation';
import { Db } from '../database/sql';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { CatalogueRepository, EntryFilter, EntryRow, EntrySort, EntryValues, RevisionRow } from './catalogue.repository';
import { LIFECYCLE_STATUSES, LifecycleStatus } from './entry.entity';
import { redactRestricted, toEntryResponse, toValues, toWritable, valuesOf, withItemIds } from './entry.mapper';
import { EntryReferences } from './entry-references';
import {
  assertAllowed,
  EntryFacts,
  isAssignedReviewer,
  isCoordinator,
  mayCreate,
  mayEdit,
  mayTransition,
  roleIn,
  seesRestricted,
  TransitionAction,
  TRANSITIONS,
} from './entry-policy';
import type { KindDefinition } from './kind-definition';
import { WorkflowRepository } from './workflow.repository';

export type EntryResponse = Record<string, unknown> & { id: string; code: string; version: number };

export interface ListEntriesQuery extends EntryFilter {
  limit: number;
  offset: number;
  sort?: EntrySort;
}

export interface HistoryItem {
  id: string;
  version: number;
  action: string;
  actor: string | null;
  comment: string | null;
  changes: Record<string, { before: unknown; after: unknown }>;
  createdAt: string;
}

/** Field-level differences between two stored states, for the revision log. */
export function diffValues(before: EntryValues | undefined, after: EntryValues): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  const flat = (v?: EntryValues): Record<string, unknown> => (v ? { ...v, details: undefined, ...v.details } : {});
  const a = flat(before);
  const b = flat(after);
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (key === 'details') continue;
    if (!jsonEqual(a[key], b[key])) changes[key] = { before: a[key] ?? null, after: b[key] ?? null };
  }
  return changes;
}

/** Policy input of an entry row. */
export function factsOf(row: EntryRow): EntryFacts {
  return { ownerId: row.owner_id, status: row.lifecycle_status, reviewerOrgIds: row.reviewer_org_ids ?? [] };
}

/** Adds `n` working days (Monday–Friday) to a date; returns YYYY-MM-DD. */
export function addWorkingDays(from: Date, n: number): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const day = d.getUTCDay();
    if (day !== 0 && day !== 6) left--;
  }
  return d.toISOString().slice(0, 10);
}

/** Transitions whose comments belong to the review (never public). */
const REVIEW_ACTIONS = new Set<string>(['submit', 'withdraw', 'approve', 'request-changes', 'send-back']);

/**
 * Lifecycle, history and writes for every kind of entry. The kind controllers call this with their
 * KindDefinition; nothing here is specific to systems, datasets or e-services. Every write checks
 * the entry policy (entry-policy.ts) on an entry found through the visibility rule (visibility.ts).
 */
@Injectable()
export class CatalogueService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly entries: CatalogueRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly workflow: WorkflowRepository,
    private readonly references: EntryReferences,
  ) {}

  async get(def: KindDefinition, ref: string, viewer: Viewer): Promise<EntryResponse> {
    const [entry] = await this.respond(def, [await this.mustFind(def, ref, viewer)], viewer);
    return entry;
  }

  /** Rows as the viewer may see them: restricted fields and references to entries hidden from them left out. */
  private respond(def: KindDefinition, rows: EntryRow[], viewer: Viewer): Promise<EntryResponse[]> {
    const docs = rows.map((row) => toEntryResponse(row, def, seesRestricted(viewer, factsOf(row))) as EntryResponse);
    return this.references.hide(def, docs, viewer);
  }

  async list(def: KindDefinition, query: ListEntriesQuery, viewer: Viewer): Promise<Page<Record<string, unknown>>> {
    const sort = query.sort ?? (query.q ? 'relevance' : 'name');
    const { rows, total } = await this.entries.list(def.kind, query, sort, query.limit, query.offset, viewer);
    return { items: await this.respond(def, rows, viewer), total, limit: query.limit, offset: query.offset };
  }

  /** Creates a draft owned by one of the caller's organisations (coordinators: any, or none). */
  async create(def: KindDefinition, body: unknown, viewer: Viewer): Promise<EntryResponse> {
    assertAllowed(viewer, !!viewer.principal, '');
    const dto = validatePlain(def.createDto, body);
    const id = await this.dataSource.transaction(async (tx) => {
      const values = await this.toStoredValues(tx, def, dto as unknown as Record<string, unknown>);
      if (!values.ownerId && !isCoordinator(viewer)) {
        throw DomainError.validation([{ field: 'owner', message: 'owner is required: the code of an organisation you are an editor of' }]);
      }
      assertAllowed(viewer, mayCreate(viewer, values.ownerId), `Only editors and admins of ${dto.owner} (and coordinators) create its ${def.path}`);
      return (await this.insertEntry(tx, def, values, 'draft', null, actorOf(viewer), actorIdOf(viewer))).id;
    });
    return this.get(def, id, viewer);
  }

  /** Applies a JSON merge patch if the entry is still at `expectedVersion` (undefined: If-Match `*`, any). */
  async patch(def: KindDefinition, ref: string, patch: unknown, expectedVersion: number | undefined, viewer: Viewer): Promise<EntryResponse> {
    assertObjectBody(patch, 'a merge patch');
    const id = await this.dataSource.transaction(async (tx) => {
      const row = await this.mustFindToWrite(def, ref, viewer, tx, expectedVersion);
      const facts = factsOf(row);
      assertAllowed(viewer, mayEdit(viewer, facts), `Only editors and admins of the owner organisation (and coordinators) change this ${def.label}`);
      assertVersion(row.version, expectedVersion);
      if (!isCoordinator(viewer)) {
        if (row.lifecycle_status === 'in_review') throw DomainError.conflict('ENTRY_IN_REVIEW', `This ${def.label} is in review: withdraw it to draft before changing it`);
        if (row.lifecycle_status === 'retired') throw DomainError.conflict('ENTRY_RETIRED', `This ${def.label} is retired and can no longer be changed`);
      }
      const full = toWritable(row);
      // The patch applies to what the caller was shown: restricted fields they cannot see stay as stored.
      const redacted = seesRestricted(viewer, facts) ? full : redactRestricted(def.restrictedFields, full);
      const [shown] = await this.references.hide(def, [redacted], viewer, tx);
      const merged = this.references.restore(def, full, shown, mergePatch(shown, patch) as Record<string, unknown>);
      const dto = validatePlain(def.createDto, redacted === full ? merged : { ...full, ...merged });
      const values = await this.toStoredValues(tx, def, dto as unknown as Record<string, unknown>);
      if (values.ownerId !== row.owner_id) {
        if (!isCoordinator(viewer)) {
          throw new DomainError(HttpStatus.FORBIDDEN, 'OWNER_CHANGE_NEEDS_TRANSFER', 'The owner changes through a transfer (POST .../transfer), which the receiving organisation accepts');
        }
        const pending = await this.workflow.pendingTransfer(tx, row.id);
        if (pending) await this.workflow.closeTransfer(tx, pending.id, 'cancelled', actorIdOf(viewer), 'owner reassigned by a coordinator');
      }
      await this.updateEntry(tx, row, values, actorOf(viewer), 'update', actorIdOf(viewer));
      return row.id;
    });
    return this.get(def, id, viewer);
  }

  /** One step of the lifecycle (TRANSITIONS), checked against the caller's role and the current state. */
  async transition(def: KindDefinition, ref: string, action: TransitionAction, comment: string | undefined, expectedVersion: number | undefined, viewer: Viewer): Promise<EntryResponse> {
    const rule = TRANSITIONS[action];
    const id = await this.dataSource.transaction(async (tx) => {
      const row = await this.mustFindToWrite(def, ref, viewer, tx, expectedVersion);
      const facts = factsOf(row);
      assertAllowed(viewer, mayTransition(viewer, facts, action), `You may not ${action} this ${def.label}: that is for ${/\(([^)]*)\)/.exec(rule.summary)?.[1] ?? 'others'}`);
      // The version first: whoever read an older version learns that (412), not what the state became.
      assertVersion(row.version, expectedVersion);
      if (!rule.from.includes(row.lifecycle_status)) {
        throw DomainError.conflict('TRANSITION_NOT_ALLOWED', `Cannot ${action} a ${def.label} that is ${row.lifecycle_status} (only from ${rule.from.join(' or ')})`);
      }
      if (rule.commentRequired && !comment?.trim()) throw DomainError.validation([{ field: 'comment', message: `a comment is required to ${action}` }]);
      await this.moveLifecycle(tx, row, rule.to, action, comment, viewer);
      return row.id;
    });
    return this.get(def, id, viewer);
  }

  /** Coordinators' override: any move, e.g. to correct an import. Reviews open and close as the state says. */
  async setLifecycle(def: KindDefinition, ref: string, to: string, comment: string | undefined, expectedVersion: number | undefined, viewer: Viewer): Promise<EntryResponse> {
    if (!LIFECYCLE_STATUSES.includes(to as LifecycleStatus)) {
      throw DomainError.validation([{ field: 'status', message: `status must be one of ${LIFECYCLE_STATUSES.join(', ')}` }]);
    }
    const id = await this.dataSource.transaction(async (tx) => {
      const row = await this.mustFindToWrite(def, ref, viewer, tx, expectedVersion);
      assertAllowed(viewer, isCoordinator(viewer), 'Only coordinators move entries to any lifecycle status; use the transitions');
      assertVersion(row.version, expectedVersion);
      if (row.lifecycle_status === to) throw DomainError.conflict('LIFECYCLE_UNCHANGED', `The ${def.label} is already ${to}`);
      await this.moveLifecycle(tx, row, to as LifecycleStatus, 'lifecycle', comment, viewer);
      return row.id;
    });
    return this.get(def, id, viewer);
  }

  /** Deletes a draft. Published entries are deprecated and retired, never deleted. */
  async delete(def: KindDefinition, ref: string, expectedVersion: number | undefined, viewer: Viewer): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const row = await this.mustFindToWrite(def, ref, viewer, tx, expectedVersion);
      assertAllowed(viewer, mayEdit(viewer, factsOf(row)), `Only editors and admins of the owner organisation (and coordinators) delete this ${def.label}`);
      assertVersion(row.version, expectedVersion);
      if (row.lifecycle_status !== 'draft') {
        throw DomainError.conflict('ENTRY_NOT_DRAFT', `Only drafts can be deleted; this ${def.label} is ${row.lifecycle_status} (deprecate or retire it instead)`);
      }
      if (row.published_at) {
        // Once public, an entry may have been cited, harvested or linked: it stays, to be deprecated and retired.
        throw DomainError.conflict('ENTRY_WAS_PUBLISHED', `This ${def.label} was published on ${new Date(row.published_at).toISOString().slice(0, 10)}: once public it is retired, not deleted`);
      }
      if (!(await this.entries.delete(tx, row.id, row.version))) {
        throw await this.lostRace(tx, row, row.version);
      }
      await this.indexLater(tx, row.id);
    });
  }

  /**
   * Revisions, newest first. Members of the owner, reviewers and coordinators see all of it; everyone
   * else sees it from the first publication on, without review comments, actors or restricted fields.
   */
  async history(def: KindDefinition, ref: string, viewer: Viewer, limit: number, offset: number): Promise<Page<HistoryItem>> {
    const row = await this.mustFind(def, ref, viewer);
    const insider = seesRestricted(viewer, factsOf(row));
    const { rows, total } = await this.entries.revisions(this.dataSource, row.id, !insider, limit, offset);
    // Each revision's before and after values, as the viewer may see them (restricted fields, hidden references).
    const side = (r: RevisionRow, which: 'before' | 'after') => {
      const values = Object.fromEntries(Object.entries(r.changes ?? {}).map(([k, v]) => [k, v[which]]));
      return insider ? values : redactRestricted(def.restrictedFields, values);
    };
    const shown = await this.references.hide(def, rows.flatMap((r) => [side(r, 'before'), side(r, 'after')]), viewer);
    return { items: rows.map((r, n) => this.historyItem(r, insider, shown[2 * n], shown[2 * n + 1])), total, limit, offset };
  }

  private historyItem(r: RevisionRow, insider: boolean, before: Record<string, unknown>, after: Record<string, unknown>): HistoryItem {
    const changes: HistoryItem['changes'] = {};
    for (const k of Object.keys(after)) if (!jsonEqual(before[k], after[k])) changes[k] = { before: before[k] ?? null, after: after[k] ?? null };
    return {
      id: r.id,
      version: r.version,
      action: r.action,
      actor: insider ? r.actor : null,
      comment: r.review_comment && !insider ? null : r.comment,
      changes,
      createdAt: new Date(r.created_at).toISOString(),
    };
  }

  // ---- shared write path, also used by transfers, imports and the demo seed (inside their transactions) ----

  /** A coordinator's import with `publish` counts as approval (DESIGN §5): publishes a draft or an entry in review. */
  async publishByImport(tx: Db, entryId: string, actor: string): Promise<boolean> {
    const row = await this.entries.findForUpdate(tx, entryId);
    if (!row || (row.lifecycle_status !== 'draft' && row.lifecycle_status !== 'in_review')) return false;
    await this.moveLifecycle(tx, row, 'published', 'import_publish', 'published by import', SYSTEM_VIEWER, actor);
    return true;
  }

  /** Changes the lifecycle status (conditional on the row's version), keeps reviews in step, records the revision. */
  private async moveLifecycle(tx: Db, row: EntryRow, to: LifecycleStatus, action: string, comment: string | undefined, viewer: Viewer, actor = actorOf(viewer)): Promise<void> {
    const version = await this.entries.setLifecycle(tx, row.id, row.version, to);
    if (version === undefined) throw await this.lostRace(tx, row, row.version);
    const open = await this.workflow.openReviewOf(tx, row.id);
    if (open && to !== 'in_review') {
      const decision = action === 'approve' || (action === 'lifecycle' && to === 'published') ? 'approve' : action === 'request-changes' ? 'request_changes' : undefined;
      if (decision) {
        const reviewerOrg = open.reviewer_org_ids.find((id) => roleIn(viewer, id) === 'editor' || roleIn(viewer, id) === 'admin');
        await this.workflow.addDecision(tx, {
          reviewId: open.id,
          userId: actorIdOf(viewer),
          organisationId: isCoordinator(viewer) || !isAssignedReviewer(viewer, factsOf(row)) ? null : (reviewerOrg ?? null),
          decision,
          comment: comment ?? null,
        });
      }
      await this.workflow.closeReview(tx, open.id, decision === 'approve' ? 'approved' : decision === 'request_changes' ? 'changes_requested' : action === 'withdraw' ? 'withdrawn' : `moved_to_${to}`);
    } else if (!open && to === 'in_review') {
      await this.workflow.openReview(tx, row.id, addWorkingDays(new Date(), this.config.reviewWorkingDays));
    }
    await this.entries.addRevision(tx, {
      entryId: row.id,
      version,
      action,
      actor,
      actorId: actorIdOf(viewer),
      comment: comment ?? null,
      reviewComment: REVIEW_ACTIONS.has(action) || (action === 'lifecycle' && (to === 'in_review' || row.lifecycle_status === 'in_review')),
      changes: { lifecycleStatus: { before: row.lifecycle_status, after: to } },
    });
    await this.indexLater(tx, row.id);
  }

  /** Resolves the owner code of a validated DTO and splits it into stored values. */
  async toStoredValues(db: Db, def: KindDefinition, dto: Record<string, unknown>): Promise<EntryValues> {
    let ownerId: string | null = null;
    if (typeof dto.owner === 'string') {
      ownerId = await this.organisations.findIdByCode(db, dto.owner);
      if (!ownerId) throw DomainError.validation([{ field: 'owner', message: `no organisation has the code ${JSON.stringify(dto.owner)}` }]);
    }
    return toValues(dto, ownerId, def.defaultOperationalStatus);
  }

  async insertEntry(db: Db, def: KindDefinition, values: EntryValues, lifecycle: LifecycleStatus, sourceKey: string | null, actor: string, actorId: string | null = null) {
    return (await this.insertEntries(db, def, [{ values, lifecycle, sourceKey }], actor, actorId))[0];
  }

  /** Creates entries of one kind: codes, item ids, a `create` revision each, search indexing. Few statements for any number. */
  async insertEntries(db: Db, def: KindDefinition, items: { values: EntryValues; lifecycle: LifecycleStatus; sourceKey: string | null }[], actor: string, actorId: string | null = null) {
    for (const i of items) withItemIds(i.values);
    const created = await this.entries.insertMany(db, def, items);
    await this.entries.addRevisions(
      db,
      created.map((c, n) => ({ entryId: c.id, version: c.version, action: 'create', actor, actorId, changes: diffValues(undefined, items[n].values) })),
    );
    await this.indexLater(db, ...created.map((c) => c.id));
    return created;
  }

  /** Writes new values over a row read in this transaction; a no-op when nothing changed. */
  async updateEntry(db: Db, row: EntryRow, values: EntryValues, actor: string, action: string, actorId: string | null = null): Promise<boolean> {
    const before = valuesOf(row);
    const changes = diffValues(before, withItemIds(values, before));
    if (Object.keys(changes).length === 0) return false;
    const version = await this.entries.update(db, row.kind, row.id, row.version, values);
    if (version === undefined) throw await this.lostRace(db, row, row.version);
    await this.entries.addRevision(db, { entryId: row.id, version, action, actor, actorId, changes });
    await this.indexLater(db, row.id);
    return true;
  }

  /**
   * An external search index (Meilisearch) learns about a change through an outbox row written in the
   * same transaction as the change. PostgreSQL search reads the tables themselves and needs none.
   */
  async indexLater(db: Db, ...entryIds: string[]): Promise<void> {
    if (this.config.searchBackend !== 'postgres') await this.entries.addSearchOutbox(db, entryIds);
  }

  /** A conditional write matched no row: another request changed the entry (412) or deleted it (404). */
  async lostRace(db: Db, row: Pick<EntryRow, 'id' | 'kind' | 'code'>, expectedVersion: number): Promise<DomainError> {
    const current = await this.entries.currentVersion(db, row.id);
    return current === undefined ? DomainError.notFound(row.kind, row.code) : staleVersion(current, expectedVersion);
  }

  /** The entry if the viewer may see it; otherwise 404, whether it exists or not. */
  /**
   * The entry a write in transaction `tx` changes. With If-Match `*` (`expectedVersion` undefined) the
   * write applies over whatever is current, so the row is locked first and read again under the lock:
   * concurrent writers then take turns, each over the one before (without the lock, all read the same
   * version and all but one would lose with a 412 they did not ask for). With a version, the
   * conditional write decides, and a loser gets the 412 it asked for.
   */
  async mustFindToWrite(def: Pick<KindDefinition, 'kind' | 'label'>, ref: string, viewer: Viewer, tx: Db, expectedVersion: number | undefined): Promise<EntryRow> {
    const row = await this.mustFind(def, ref, viewer, tx);
    if (expectedVersion !== undefined) return row;
    await this.entries.findForUpdate(tx, row.id);
    return this.mustFind(def, ref, viewer, tx);
  }

  async mustFind(def: Pick<KindDefinition, 'kind' | 'label'>, ref: string, viewer: Viewer, db?: Db): Promise<EntryRow> {
    const row = await this.entries.findVisible(def.kind, ref, viewer, db);
    if (!row) throw new DomainError(HttpStatus.NOT_FOUND, `${def.kind.toUpperCase()}_NOT_FOUND`, `No ${def.label} ${JSON.stringify(ref.slice(0, 100))} is visible to you`);
    return row;
  }
}
