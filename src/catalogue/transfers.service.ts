import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { actorIdOf, actorOf, Viewer } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { assertVersion } from '../common/etag';
import type { Page } from '../common/pagination.dto';
import { Db } from '../database/sql';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { CatalogueRepository, EntryRow, isUuid } from './catalogue.repository';
import { CatalogueService, EntryResponse, factsOf } from './catalogue.service';
import { assertAllowed, mayCancelTransfer, mayClaim, mayDecideTransfer, mayReassign, mayRequestTransfer } from './entry-policy';
import type { EntryKind } from './entry.entity';
import type { KindDefinition } from './kind-definition';
import { TransferRow, WorkflowRepository } from './workflow.repository';

export type TransferDecision = 'accept' | 'decline' | 'cancel';

const PATH_OF_KIND: Record<EntryKind, string> = { system: 'systems', dataset: 'datasets', eservice: 'eservices' };
const LABEL_OF_KIND: Record<EntryKind, string> = { system: 'system', dataset: 'dataset', eservice: 'e-service' };
const KIND_OF_PREFIX: Record<string, EntryKind> = { IS: 'system', DS: 'dataset', PS: 'eservice' };

export interface TransferResponse {
  id: string;
  kind: string;
  status: string;
  entry: { kind: string; code: string; name: string; href: string };
  from: { code: string; name: string } | null;
  to: { code: string; name: string };
  requestedBy: string | null;
  comment: string | null;
  decidedBy: string | null;
  decisionComment: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export function toTransferResponse(t: TransferRow): TransferResponse {
  return {
    id: t.id,
    kind: t.kind,
    status: t.status,
    entry: { kind: t.entry_kind, code: t.entry_code, name: t.entry_name, href: `/api/v1/${PATH_OF_KIND[t.entry_kind]}/${t.entry_code}` },
    from: t.from_code ? { code: t.from_code, name: t.from_name ?? '' } : null,
    to: { code: t.to_code, name: t.to_name },
    requestedBy: t.requested_by_name,
    comment: t.comment,
    decidedBy: t.decided_by_name,
    decisionComment: t.decision_comment,
    createdAt: new Date(t.created_at).toISOString(),
    decidedAt: t.decided_at ? new Date(t.decided_at).toISOString() : null,
  };
}

export interface ReassignResult {
  ref: string;
  /** reassigned, unchanged (already owned by the target) or failed. */
  status: 'reassigned' | 'unchanged' | 'failed';
  code?: string;
  kind?: string;
  error?: { status: number; code: string; detail: string };
}

/**
 * Ownership: transfer requests, their acceptance, claims of unclaimed entries and reassignment.
 * Every step is one transaction guarded by the entry's version (If-Match), so two concurrent
 * acceptances, or a transfer and a transition, cannot both succeed. Lists, counts, facets and search
 * read the owner from the entry row, so they change together with it.
 */
/** A transfer or claim and the entry version its request or decision left (the answer's ETag). */
export interface TransferWithVersion {
  transfer: TransferResponse;
  entryVersion: number;
}

@Injectable()
export class TransfersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly entries: CatalogueRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly workflow: WorkflowRepository,
  ) {}

  async pending(def: KindDefinition, ref: string, viewer: Viewer): Promise<TransferResponse> {
    const row = await this.catalogue.mustFind(def, ref, viewer);
    const t = await this.workflow.pendingTransfer(this.dataSource, row.id);
    if (!t) throw new DomainError(HttpStatus.NOT_FOUND, 'TRANSFER_NOT_FOUND', `No transfer of this ${def.label} is pending`);
    return toTransferResponse(t);
  }

  /** The owner asks to hand the entry to another organisation. */
  async request(def: KindDefinition, ref: string, to: string, comment: string | undefined, expectedVersion: number | undefined, viewer: Viewer): Promise<TransferWithVersion> {
    return this.dataSource.transaction(async (tx) => {
      const row = await this.catalogue.mustFindToWrite(def, ref, viewer, tx, expectedVersion);
      assertAllowed(viewer, mayRequestTransfer(viewer, factsOf(row)), `Only editors and admins of the owner organisation (and coordinators) transfer this ${def.label}`);
      assertVersion(row.version, expectedVersion);
      const toOrgId = await this.orgId(tx, to, 'to');
      if (toOrgId === row.owner_id) throw DomainError.conflict('TRANSFER_TO_OWNER', `${to} already owns this ${def.label}`);
      return this.insert(tx, row, 'transfer', row.owner_id, toOrgId, comment, viewer, 'transfer_requested');
    });
  }

  /** An organisation asks for an unclaimed entry; a coordinator confirms (accept). */
  async claim(def: KindDefinition, ref: string, organisation: string, comment: string | undefined, expectedVersion: number | undefined, viewer: Viewer): Promise<TransferWithVersion> {
    return this.dataSource.transaction(async (tx) => {
      const row = await this.catalogue.mustFindToWrite(def, ref, viewer, tx, expectedVersion);
      const orgId = await this.orgId(tx, organisation, 'organisation');
      assertAllowed(viewer, mayClaim(viewer, orgId), `Only admins of ${organisation} claim entries for it`);
      assertVersion(row.version, expectedVersion);
      if (row.owner_id) throw DomainError.conflict('ENTRY_NOT_UNCLAIMED', `This ${def.label} has an owner: ask them for a transfer`);
      return this.insert(tx, row, 'claim', null, orgId, comment, viewer, 'claim_requested');
    });
  }

  /** Accept (receiving admin; a coordinator for claims), decline (same) or cancel (the asking side). */
  /**
   * Returns the closed transfer and the entry's new version (its ETag): after declining, the
   * receiving admin no longer sees the entry, so the response cannot be the entry.
   */
  async decide(def: KindDefinition, ref: string, decision: TransferDecision, comment: string | undefined, expectedVersion: number | undefined, viewer: Viewer): Promise<TransferWithVersion> {
    return this.dataSource.transaction(async (tx) => {
      const row = await this.catalogue.mustFindToWrite(def, ref, viewer, tx, expectedVersion);
      const t = await this.workflow.pendingTransfer(tx, row.id);
      if (!t) {
        // The caller sees the entry, so its version is no secret: a stale If-Match is 412 as everywhere.
        assertVersion(row.version, expectedVersion);
        // Someone who could act on a pending transfer learns it is gone; others learn nothing more.
        throw DomainError.conflict('NO_PENDING_TRANSFER', `No transfer of this ${def.label} is pending (it may have been decided already)`);
      }
      const tf = { kind: t.kind, fromOrgId: t.from_org_id, toOrgId: t.to_org_id };
      if (decision === 'cancel') assertAllowed(viewer, mayCancelTransfer(viewer, tf), 'Only the side that asked (or a coordinator) cancels a transfer');
      else assertAllowed(viewer, mayDecideTransfer(viewer, tf), t.kind === 'claim' ? 'A coordinator confirms claims' : `Only admins of ${t.to_code} (or a coordinator) ${decision} this transfer`);
      assertVersion(row.version, expectedVersion);
      const status = decision === 'accept' ? 'accepted' : decision === 'decline' ? 'declined' : 'cancelled';
      if (!(await this.workflow.closeTransfer(tx, t.id, status, actorIdOf(viewer), comment ?? null))) {
        throw DomainError.conflict('NO_PENDING_TRANSFER', 'The transfer was decided meanwhile');
      }
      const version = decision === 'accept' ? await this.entries.setOwner(tx, row.id, row.version, t.to_org_id) : await this.entries.touch(tx, row.id, row.version);
      if (version === undefined) throw await this.catalogue.lostRace(tx, row, row.version);
      await this.entries.addRevision(tx, {
        entryId: row.id,
        version,
        action: `${t.kind}_${status}`,
        actor: actorOf(viewer),
        actorId: actorIdOf(viewer),
        comment: comment ?? null,
        changes: decision === 'accept' ? { owner: { before: t.from_code, after: t.to_code } } : { transfer: { before: t.to_code, after: null } },
      });
      await this.catalogue.indexLater(tx, row.id); // owner or pending transfer changed: both are visibility fields
      const closed = await this.workflow.transferById(tx, t.id);
      return { transfer: toTransferResponse(closed!), entryVersion: version };
    });
  }

  /** A coordinator moves the entry to another owner directly (a pending transfer is cancelled). */
  async reassign(def: Pick<KindDefinition, 'kind' | 'label'>, ref: string, to: string, comment: string | undefined, expectedVersion: number | undefined, viewer: Viewer): Promise<{ id: string; code: string; kind: EntryKind; changed: boolean }> {
    return this.dataSource.transaction(async (tx) => {
      const row = await this.catalogue.mustFindToWrite(def, ref, viewer, tx, expectedVersion);
      assertAllowed(viewer, mayReassign(viewer), 'Only coordinators reassign entries');
      const toOrgId = await this.orgId(tx, to, 'to');
      assertVersion(row.version, expectedVersion);
      if (row.owner_id === toOrgId) return { id: row.id, code: row.code, kind: row.kind, changed: false };
      const pending = await this.workflow.pendingTransfer(tx, row.id);
      if (pending) await this.workflow.closeTransfer(tx, pending.id, 'cancelled', actorIdOf(viewer), 'owner reassigned by a coordinator');
      const version = await this.entries.setOwner(tx, row.id, row.version, toOrgId);
      if (version === undefined) throw await this.catalogue.lostRace(tx, row, row.version);
      const toCode = (await this.organisations.findByCode(to, tx))?.code ?? to;
      await this.entries.addRevision(tx, {
        entryId: row.id,
        version,
        action: 'reassign',
        actor: actorOf(viewer),
        actorId: actorIdOf(viewer),
        comment: comment ?? null,
        changes: { owner: { before: row.owner_code, after: toCode } },
      });
      await this.catalogue.indexLater(tx, row.id);
      return { id: row.id, code: row.code, kind: row.kind, changed: true };
    });
  }

  /** Reassign one entry (HTTP): the entry as it is afterwards. */
  async reassignEntry(def: KindDefinition, ref: string, to: string, comment: string | undefined, expectedVersion: number | undefined, viewer: Viewer): Promise<EntryResponse> {
    const r = await this.reassign(def, ref, to, comment, expectedVersion, viewer);
    return this.catalogue.get(def, r.id, viewer);
  }

  /** Reassigns many entries (any kind, by code or uuid); each succeeds or fails on its own. */
  async bulkReassign(refs: string[], to: string, comment: string | undefined, viewer: Viewer): Promise<{ results: ReassignResult[]; reassigned: number; unchanged: number; failed: number }> {
    assertAllowed(viewer, mayReassign(viewer), 'Only coordinators reassign entries');
    const results: ReassignResult[] = [];
    for (const ref of refs) {
      const kind = await this.kindOf(ref);
      try {
        if (!kind) throw new DomainError(HttpStatus.NOT_FOUND, 'ENTRY_NOT_FOUND', `No entry ${JSON.stringify(ref.slice(0, 100))} is visible to you`);
        const r = await this.reassign({ kind, label: LABEL_OF_KIND[kind] }, ref, to, comment, undefined, viewer);
        results.push({ ref, status: r.changed ? 'reassigned' : 'unchanged', code: r.code, kind: PATH_OF_KIND[r.kind] });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results.push({ ref, status: 'failed', error: { status: error.status, code: error.code, detail: error.message } });
      }
    }
    const n = (s: string) => results.filter((r) => r.status === s).length;
    return { results, reassigned: n('reassigned'), unchanged: n('unchanged'), failed: n('failed') };
  }

  async list(viewer: Viewer, q: { status?: string; direction?: 'incoming' | 'outgoing'; limit: number; offset: number }): Promise<Page<TransferResponse>> {
    assertAllowed(viewer, !!viewer.principal, '');
    const { rows, total } = await this.workflow.listTransfers(viewer, q, q.limit, q.offset);
    return { items: rows.map(toTransferResponse), total, limit: q.limit, offset: q.offset };
  }

  /** Callers have checked If-Match against the row right after their access check: the write is conditional on the version read. */
  private async insert(tx: Db, row: EntryRow, kind: 'transfer' | 'claim', fromOrgId: string | null, toOrgId: string, comment: string | undefined, viewer: Viewer, action: string): Promise<TransferWithVersion> {
    if (await this.workflow.pendingTransfer(tx, row.id)) throw DomainError.conflict('TRANSFER_ALREADY_PENDING', 'A transfer or claim of this entry is already pending: it must be decided or cancelled first');
    const version = await this.entries.touch(tx, row.id, row.version);
    if (version === undefined) throw await this.catalogue.lostRace(tx, row, row.version);
    const id = await this.workflow.insertTransfer(tx, { entryId: row.id, kind, fromOrgId, toOrgId, requestedBy: actorIdOf(viewer), comment: comment ?? null });
    if (!id) throw DomainError.conflict('TRANSFER_ALREADY_PENDING', 'A transfer or claim of this entry is already pending');
    const t = (await this.workflow.pendingTransfer(tx, row.id))!;
    await this.entries.addRevision(tx, {
      entryId: row.id,
      version,
      action,
      actor: actorOf(viewer),
      actorId: actorIdOf(viewer),
      comment: comment ?? null,
      changes: { transfer: { before: null, after: t.to_code } },
    });
    await this.catalogue.indexLater(tx, row.id);
    return { transfer: toTransferResponse(t), entryVersion: version };
  }

  private async orgId(db: Db, code: string, field: string): Promise<string> {
    const id = typeof code === 'string' ? await this.organisations.findIdByCode(db, code) : null;
    if (!id) throw DomainError.validation([{ field, message: `no organisation has the code ${JSON.stringify(String(code).slice(0, 100))}` }]);
    return id;
  }

  private async kindOf(ref: string): Promise<EntryKind | undefined> {
    if (isUuid(ref)) return this.entries.kindOfId(ref);
    return KIND_OF_PREFIX[ref.slice(0, 2).toUpperCase()];
  }
}
