import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { actorOf, Viewer } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { staleVersion } from '../common/etag';
import type { Page } from '../common/pagination.dto';
import { jsonEqual, mergePatch } from '../common/text';
import { validatePlain } from '../common/validation';
import { Db } from '../database/sql';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { CatalogueRepository, EntryFilter, EntryRow, EntrySort, EntryValues } from './catalogue.repository';
import { LIFECYCLE_STATUSES, LifecycleStatus } from './entry.entity';
import { toEntryResponse, toValues, toWritable, valuesOf } from './entry.mapper';
import type { KindDefinition } from './kind-definition';

export type EntryResponse = Record<string, unknown> & { id: string; code: string; version: number };

export interface ListEntriesQuery extends EntryFilter {
  limit: number;
  offset: number;
  sort?: EntrySort;
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

/**
 * Lifecycle, ownership, history and writes for every kind of entry. The kind controllers call this
 * with their KindDefinition; nothing here is specific to systems, datasets or e-services.
 */
@Injectable()
export class CatalogueService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly entries: CatalogueRepository,
    private readonly organisations: OrganisationsRepository,
  ) {}

  async get(def: KindDefinition, ref: string, viewer: Viewer): Promise<EntryResponse> {
    return toEntryResponse(await this.mustFind(def, ref, viewer)) as EntryResponse;
  }

  async list(def: KindDefinition, query: ListEntriesQuery, viewer: Viewer): Promise<Page<Record<string, unknown>>> {
    const sort = query.sort ?? (query.q ? 'relevance' : 'name');
    const { rows, total } = await this.entries.list(def.kind, query, sort, query.limit, query.offset, viewer);
    return { items: rows.map(toEntryResponse), total, limit: query.limit, offset: query.offset };
  }

  /** Creates a draft (or, for imports and seeding, an entry in the given state). */
  async create(def: KindDefinition, body: unknown, viewer: Viewer): Promise<EntryResponse> {
    const dto = validatePlain(def.createDto, body);
    const id = await this.dataSource.transaction(async (tx) => {
      const values = await this.toStoredValues(tx, def, dto as unknown as Record<string, unknown>);
      return (await this.insertEntry(tx, def, values, 'draft', null, actorOf(viewer))).id;
    });
    return this.get(def, id, viewer);
  }

  /** Applies a JSON merge patch if the entry is still at `expectedVersion`. */
  async patch(def: KindDefinition, ref: string, patch: unknown, expectedVersion: number, viewer: Viewer): Promise<EntryResponse> {
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
      throw DomainError.validation([{ field: '', message: 'a merge patch must be a JSON object' }]);
    }
    const id = await this.dataSource.transaction(async (tx) => {
      const row = await this.mustFind(def, ref, viewer, tx);
      if (row.version !== expectedVersion) throw staleVersion(row.version, expectedVersion);
      const dto = validatePlain(def.createDto, mergePatch(toWritable(row), patch));
      const values = await this.toStoredValues(tx, def, dto as unknown as Record<string, unknown>);
      await this.updateEntry(tx, row, values, actorOf(viewer), 'update');
      return row.id;
    });
    return this.get(def, id, viewer);
  }

  /** Moves an entry through its lifecycle. Global admins and coordinators may make any move. */
  async transition(def: KindDefinition, ref: string, to: string, comment: string | undefined, expectedVersion: number, viewer: Viewer): Promise<EntryResponse> {
    if (!LIFECYCLE_STATUSES.includes(to as LifecycleStatus)) {
      throw DomainError.validation([{ field: 'status', message: `status must be one of ${LIFECYCLE_STATUSES.join(', ')}` }]);
    }
    const id = await this.dataSource.transaction(async (tx) => {
      const row = await this.mustFind(def, ref, viewer, tx);
      if (row.version !== expectedVersion) throw staleVersion(row.version, expectedVersion);
      if (row.lifecycle_status === to) throw DomainError.conflict('LIFECYCLE_UNCHANGED', `The ${def.label} is already ${to}`);
      await this.setLifecycle(tx, row, expectedVersion, to as LifecycleStatus, actorOf(viewer), comment ?? null);
      return row.id;
    });
    return this.get(def, id, viewer);
  }

  /** Deletes a draft. Published entries are deprecated and retired, never deleted. */
  async delete(def: KindDefinition, ref: string, expectedVersion: number, viewer: Viewer): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const row = await this.mustFind(def, ref, viewer, tx);
      if (row.lifecycle_status !== 'draft') {
        throw DomainError.conflict('ENTRY_NOT_DRAFT', `Only drafts can be deleted; this ${def.label} is ${row.lifecycle_status} (deprecate or retire it instead)`);
      }
      if (row.version !== expectedVersion) throw staleVersion(row.version, expectedVersion);
      if (!(await this.entries.delete(tx, row.id, expectedVersion))) {
        throw staleVersion((await this.entries.currentVersion(tx, row.id)) ?? expectedVersion, expectedVersion);
      }
      await this.indexLater(tx, row.id);
    });
  }

  // ---- shared write path, also used by imports and the demo seed (inside their transactions) ----

  /** Resolves the owner code of a validated DTO and splits it into stored values. */
  async toStoredValues(db: Db, def: KindDefinition, dto: Record<string, unknown>): Promise<EntryValues> {
    let ownerId: string | null = null;
    if (typeof dto.owner === 'string') {
      ownerId = await this.organisations.findIdByCode(db, dto.owner);
      if (!ownerId) throw DomainError.validation([{ field: 'owner', message: `no organisation has the code ${JSON.stringify(dto.owner)}` }]);
    }
    return toValues(dto, ownerId, def.defaultOperationalStatus);
  }

  async insertEntry(db: Db, def: KindDefinition, values: EntryValues, lifecycle: LifecycleStatus, sourceKey: string | null, actor: string) {
    const created = await this.entries.insert(db, def, values, lifecycle, sourceKey);
    await this.entries.addRevision(db, { entryId: created.id, version: created.version, action: 'create', actor, changes: diffValues(undefined, values) });
    await this.indexLater(db, created.id);
    return created;
  }

  /** Writes new values over a row read in this transaction; a no-op when nothing changed. */
  async updateEntry(db: Db, row: EntryRow, values: EntryValues, actor: string, action: string): Promise<boolean> {
    const changes = diffValues(valuesOf(row), values);
    if (Object.keys(changes).length === 0) return false;
    const version = await this.entries.update(db, row.id, row.version, values);
    if (version === undefined) throw staleVersion((await this.entries.currentVersion(db, row.id)) ?? row.version, row.version);
    await this.entries.addRevision(db, { entryId: row.id, version, action, actor, changes });
    await this.indexLater(db, row.id);
    return true;
  }

  /** Moves an entry read in this transaction to another lifecycle status, with its revision. */
  async setLifecycle(db: Db, row: EntryRow, expectedVersion: number, to: LifecycleStatus, actor: string, comment: string | null): Promise<number> {
    const version = await this.entries.setLifecycle(db, row.id, expectedVersion, to);
    if (version === undefined) throw staleVersion((await this.entries.currentVersion(db, row.id)) ?? expectedVersion, expectedVersion);
    await this.entries.addRevision(db, { entryId: row.id, version, action: 'transition', actor, comment, changes: { lifecycleStatus: { before: row.lifecycle_status, after: to } } });
    await this.indexLater(db, row.id);
    return version;
  }

  /**
   * An external search index (Meilisearch) learns about a change through an outbox row written in the
   * same transaction as the change. PostgreSQL search reads the tables themselves and needs none.
   */
  private async indexLater(db: Db, entryId: string): Promise<void> {
    if (this.config.searchBackend !== 'postgres') await this.entries.addSearchOutbox(db, [entryId]);
  }

  private async mustFind(def: KindDefinition, ref: string, viewer: Viewer, db?: Db): Promise<EntryRow> {
    const row = await this.entries.findVisible(def.kind, ref, viewer, db);
    if (!row) throw new DomainError(HttpStatus.NOT_FOUND, `${def.kind.toUpperCase()}_NOT_FOUND`, `No ${def.label} ${JSON.stringify(ref.slice(0, 100))} is visible to you`);
    return row;
  }
}
