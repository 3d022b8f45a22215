import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Viewer } from '../auth/principal';
import { sortKey } from '../common/text';
import { SqlParams } from '../database/sql-params';
import { Db, sqlOne, sqlRows } from '../database/sql';
import { RANK_WEIGHTS, tsQuerySql } from '../search/text-query';
import type { EntryKind, LifecycleStatus } from './entry.entity';
import type { KindDefinition } from './kind-definition';
import { assessQuality } from './quality';
import { visibleToSql } from './visibility';

/** An entry as read from the database, with its owner's code and name. */
export interface EntryRow {
  id: string;
  kind: EntryKind;
  code: string;
  name: string;
  description: string;
  owner_id: string | null;
  owner_code: string | null;
  owner_name: string | null;
  lifecycle_status: LifecycleStatus;
  operational_status: string;
  tags: string[];
  themes: string[];
  contacts: unknown[];
  links: unknown[];
  legal_basis: unknown[];
  translations: Record<string, unknown>;
  source: Record<string, unknown> | null;
  source_key: string | null;
  details: Record<string, unknown>;
  quality_score: number;
  quality_missing: string[];
  version: number;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  /** Organisations assigned to the open review (empty when none). */
  reviewer_org_ids: string[] | null;
}

export interface RevisionRow {
  id: string;
  version: number;
  action: string;
  actor: string;
  actor_id: string | null;
  comment: string | null;
  review_comment: boolean;
  changes: Record<string, { before: unknown; after: unknown }>;
  created_at: Date;
}

/** The stored form of an entry's writable fields. */
export interface EntryValues {
  name: string;
  description: string;
  ownerId: string | null;
  operationalStatus: string;
  tags: string[];
  themes: string[];
  contacts: unknown[];
  links: unknown[];
  legalBasis: unknown[];
  translations: Record<string, unknown>;
  source: Record<string, unknown> | null;
  details: Record<string, unknown>;
}

export interface RevisionInput {
  entryId: string;
  version: number;
  action: string;
  actor: string;
  actorId?: string | null;
  comment?: string | null;
  /** The comment is part of a review (never public). */
  reviewComment?: boolean;
  changes: Record<string, { before: unknown; after: unknown }>;
}

export interface EntryFilter {
  owner?: string;
  lifecycleStatus?: string;
  operationalStatus?: string;
  tag?: string;
  theme?: string;
  q?: string;
  /** Only entries whose completeness score is at least this (0–100). */
  minQuality?: number;
}

export type EntrySort = 'name' | '-name' | 'code' | '-code' | 'updatedAt' | '-updatedAt' | 'createdAt' | '-createdAt' | 'relevance';

const SORT_SQL: Record<Exclude<EntrySort, 'relevance'>, string> = {
  name: 'e.name_key ASC',
  '-name': 'e.name_key DESC',
  code: 'e.code ASC',
  '-code': 'e.code DESC',
  updatedAt: 'e.updated_at ASC',
  '-updatedAt': 'e.updated_at DESC',
  createdAt: 'e.created_at ASC',
  '-createdAt': 'e.created_at DESC',
};

export const ENTRY_SELECT = `
  SELECT e.id, e.kind, e.code, e.name, e.description, e.owner_id, o.code AS owner_code, o.name AS owner_name,
         e.lifecycle_status, e.operational_status, e.tags, e.themes, e.contacts, e.links, e.legal_basis,
         e.translations, e.source, e.source_key, e.details, e.quality_score, e.quality_missing, e.version, e.created_at, e.updated_at, e.published_at,
         (SELECT r.reviewer_org_ids FROM reviews r WHERE r.entry_id = e.id AND r.status = 'open') AS reviewer_org_ids
    FROM catalogue_entries e
    LEFT JOIN organisations o ON o.id = e.owner_id`;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** All SQL on catalogue entries and their revisions. */
@Injectable()
export class CatalogueRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** An entry of a kind by uuid or code, if the viewer may see it. */
  findVisible(kind: EntryKind, ref: string, viewer: Viewer, db: Db = this.dataSource): Promise<EntryRow | undefined> {
    const p = new SqlParams();
    const match = isUuid(ref) ? `e.id = ${p.add(ref)}::uuid` : `e.code = ${p.add(ref.toUpperCase())}`;
    return sqlOne<EntryRow>(db, `${ENTRY_SELECT} WHERE e.kind = ${p.add(kind)} AND ${match} AND ${visibleToSql(viewer, p)}`, p.values);
  }

  /** Those of `refs` (codes or uuids, as written) that name an entry of `kind` the viewer may see. */
  async visibleRefs(kind: EntryKind, refs: string[], viewer: Viewer, db: Db = this.dataSource): Promise<Set<string>> {
    if (!refs.length) return new Set();
    const p = new SqlParams();
    const ids = refs.filter(isUuid).map((r) => r.toLowerCase());
    const codes = refs.filter((r) => !isUuid(r)).map((r) => r.toUpperCase());
    const rows = await sqlRows<{ id: string; code: string }>(
      db,
      `SELECT e.id, e.code FROM catalogue_entries e
        WHERE e.kind = ${p.add(kind)} AND (e.code = ANY(${p.textArray(codes)}) OR e.id = ANY(${p.add(ids)}::uuid[])) AND ${visibleToSql(viewer, p)}`,
      p.values,
    );
    const seen = new Set(rows.flatMap((r) => [r.id, r.code]));
    return new Set(refs.filter((r) => seen.has(isUuid(r) ? r.toLowerCase() : r.toUpperCase())));
  }

  async kindOfId(id: string): Promise<EntryKind | undefined> {
    return (await sqlOne<{ kind: EntryKind }>(this.dataSource, `SELECT kind FROM catalogue_entries WHERE id = $1`, [id]))?.kind;
  }

  /** An entry of any kind by uuid or code, if the viewer may see it. */
  findVisibleAnyKind(ref: string, viewer: Viewer, db: Db = this.dataSource): Promise<EntryRow | undefined> {
    const p = new SqlParams();
    const match = isUuid(ref) ? `e.id = ${p.add(ref)}::uuid` : `e.code = ${p.add(ref.toUpperCase())}`;
    return sqlOne<EntryRow>(db, `${ENTRY_SELECT} WHERE ${match} AND ${visibleToSql(viewer, p)}`, p.values);
  }

  /** Locks the row for the rest of the transaction. */
  findForUpdate(db: Db, id: string): Promise<EntryRow | undefined> {
    return sqlOne<EntryRow>(db, `${ENTRY_SELECT} WHERE e.id = $1 FOR UPDATE OF e`, [id]);
  }

  /**
   * The entry an import took from `sourceKey`, locked for the rest of the transaction: an import
   * writes over what it reads, so a concurrent writer of the same entry (another import, an API edit)
   * waits for it to commit, then reads the version it left (without the lock, the second writer's
   * conditional update found a newer version and its row failed as if a user had sent a stale one).
   */
  findBySourceKey(db: Db, kind: EntryKind, sourceKey: string): Promise<EntryRow | undefined> {
    return sqlOne<EntryRow>(db, `${ENTRY_SELECT} WHERE e.kind = $1 AND e.source_key = $2 FOR UPDATE OF e`, [kind, sourceKey]);
  }

  /** Entries of a kind by import key, keyed by it, locked as findBySourceKey's, in id order (so that imports sharing rows lock them in one order). */
  async findBySourceKeys(db: Db, kind: EntryKind, sourceKeys: string[]): Promise<Map<string, EntryRow>> {
    if (!sourceKeys.length) return new Map();
    const rows = await sqlRows<EntryRow>(db, `${ENTRY_SELECT} WHERE e.kind = $1 AND e.source_key = ANY($2::text[]) ORDER BY e.id FOR UPDATE OF e`, [kind, sourceKeys]);
    return new Map(rows.map((r) => [r.source_key!, r]));
  }

  /** Every published entry of a kind the viewer may see, in code order (exports). */
  listPublished(kind: EntryKind, viewer: Viewer): Promise<EntryRow[]> {
    const p = new SqlParams();
    return sqlRows<EntryRow>(
      this.dataSource,
      `${ENTRY_SELECT} WHERE e.kind = ${p.add(kind)} AND e.lifecycle_status = 'published' AND ${visibleToSql(viewer, p)} ORDER BY e.code`,
      p.values,
    );
  }

  /** Entries an import took from one source (format and instance recorded in `source`). */
  findBySource(db: Db, kind: EntryKind, format: string, instance: string): Promise<EntryRow[]> {
    return sqlRows<EntryRow>(db, `${ENTRY_SELECT} WHERE e.kind = $1 AND e.source->>'format' = $2 AND e.source->>'instance' = $3 ORDER BY e.code`, [kind, format, instance]);
  }

  async list(
    kind: EntryKind,
    filter: EntryFilter,
    sort: EntrySort,
    limit: number,
    offset: number,
    viewer: Viewer,
  ): Promise<{ rows: EntryRow[]; total: number }> {
    const p = new SqlParams();
    const where = [`e.kind = ${p.add(kind)}`, visibleToSql(viewer, p)];
    if (filter.owner) where.push(`lower(o.code) = lower(${p.add(filter.owner)})`);
    if (filter.lifecycleStatus) where.push(`e.lifecycle_status = ${p.add(filter.lifecycleStatus)}`);
    if (filter.operationalStatus) where.push(`e.operational_status = ${p.add(filter.operationalStatus)}`);
    if (filter.tag) where.push(`e.tags @> ARRAY[${p.add(filter.tag)}]::text[]`);
    if (filter.theme) where.push(`e.themes @> ARRAY[${p.add(filter.theme)}]::text[]`);
    if (filter.minQuality !== undefined) where.push(`e.quality_score >= ${p.add(filter.minQuality)}`);
    let rank: string | undefined;
    if (filter.q !== undefined) {
      const tsq = tsQuerySql(filter.q, p);
      if (!tsq) return { rows: [], total: 0 };
      where.push(`e.search_vector @@ (${tsq})`);
      rank = `ts_rank_cd(${RANK_WEIGHTS}, e.search_vector, ${tsq}, 1)`;
    }
    const whereSql = where.join(' AND ');
    const order = sort === 'relevance' ? (rank ? `${rank} DESC, e.name_key ASC` : 'e.name_key ASC') : SORT_SQL[sort];
    const countParams = [...p.values];
    const rows = await sqlRows<EntryRow>(
      this.dataSource,
      `${ENTRY_SELECT} WHERE ${whereSql} ORDER BY ${order}, e.id ASC LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
    const total = await sqlOne<{ n: number }>(
      this.dataSource,
      `SELECT count(*)::int AS n FROM catalogue_entries e LEFT JOIN organisations o ON o.id = e.owner_id WHERE ${whereSql}`,
      countParams,
    );
    return { rows, total: total?.n ?? 0 };
  }

  /**
   * Inserts entries of one kind with the next codes of the kind, in one statement (imports write
   * hundreds at a time); returns id, code and version in the order given.
   */
  async insertMany(db: Db, def: KindDefinition, items: { values: EntryValues; lifecycle: LifecycleStatus; sourceKey: string | null }[]): Promise<{ id: string; code: string; version: number }[]> {
    if (!items.length) return [];
    const ids = items.map(() => randomUUID());
    const col = <T>(f: (i: (typeof items)[number]) => T) => items.map(f);
    const json = (f: (i: (typeof items)[number]) => unknown) =>
      items.map((i) => {
        const v = f(i);
        return v === null || v === undefined ? null : JSON.stringify(v);
      });
    const quality = items.map((i) => assessQuality(def.kind, i.values));
    const rows = await sqlRows<{ id: string; code: string; version: number }>(
      db,
      `INSERT INTO catalogue_entries
         (id, kind, code, name, name_key, description, owner_id, lifecycle_status, operational_status, tags, themes,
          contacts, links, legal_basis, translations, source, source_key, details, quality_score, quality_missing, published_at)
       SELECT t.id, $1, $2 || lpad(nextval('${def.sequence}')::text, 5, '0'), t.name, t.name_key, t.description, t.owner_id,
              t.lifecycle, t.operational, ARRAY(SELECT jsonb_array_elements_text(t.tags)), ARRAY(SELECT jsonb_array_elements_text(t.themes)),
              t.contacts, t.links, t.legal_basis, t.translations, t.source, t.source_key, t.details, t.quality_score,
              ARRAY(SELECT jsonb_array_elements_text(t.quality_missing)), CASE WHEN t.lifecycle = 'published' THEN now() END
         FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::varchar[], $9::varchar[], $10::jsonb[], $11::jsonb[],
                     $12::jsonb[], $13::jsonb[], $14::jsonb[], $15::jsonb[], $16::jsonb[], $17::text[], $18::jsonb[], $19::smallint[], $20::jsonb[])
              WITH ORDINALITY AS t(id, name, name_key, description, owner_id, lifecycle, operational, tags, themes,
                                   contacts, links, legal_basis, translations, source, source_key, details, quality_score, quality_missing, ord)
        ORDER BY t.ord
       RETURNING id, code, version`,
      [
        def.kind,
        def.codePrefix,
        ids,
        col((i) => i.values.name),
        col((i) => sortKey(i.values.name)),
        col((i) => i.values.description),
        col((i) => i.values.ownerId),
        col((i) => i.lifecycle),
        col((i) => i.values.operationalStatus),
        json((i) => i.values.tags),
        json((i) => i.values.themes),
        json((i) => i.values.contacts),
        json((i) => i.values.links),
        json((i) => i.values.legalBasis),
        json((i) => i.values.translations),
        json((i) => i.values.source),
        col((i) => i.sourceKey),
        json((i) => i.values.details),
        quality.map((q) => q.score),
        quality.map((q) => JSON.stringify(q.missing)),
      ],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)!);
  }

  /**
   * Writes new values if the entry is still at `expectedVersion` (one conditional statement, so two
   * writers holding the same version cannot both succeed). Returns the new version, or undefined.
   */
  async update(db: Db, kind: EntryKind, id: string, expectedVersion: number, v: EntryValues): Promise<number | undefined> {
    const p = new SqlParams();
    const quality = assessQuality(kind, v);
    const row = await sqlOne<{ version: number }>(
      db,
      `UPDATE catalogue_entries
          SET name = ${p.add(v.name)}, name_key = ${p.add(sortKey(v.name))}, description = ${p.add(v.description)},
              owner_id = ${p.add(v.ownerId)}::uuid, operational_status = ${p.add(v.operationalStatus)},
              tags = ${p.textArray(v.tags)}, themes = ${p.textArray(v.themes)}, contacts = ${p.json(v.contacts)},
              links = ${p.json(v.links)}, legal_basis = ${p.json(v.legalBasis)}, translations = ${p.json(v.translations)},
              source = ${p.json(v.source)}, details = ${p.json(v.details)}, quality_score = ${p.add(quality.score)},
              quality_missing = ${p.textArray(quality.missing)}, version = version + 1, updated_at = now()
        WHERE id = ${p.add(id)} AND version = ${p.add(expectedVersion)}
        RETURNING version`,
      p.values,
    );
    return row?.version;
  }

  async setLifecycle(db: Db, id: string, expectedVersion: number, to: LifecycleStatus): Promise<number | undefined> {
    const row = await sqlOne<{ version: number }>(
      db,
      `UPDATE catalogue_entries
          SET lifecycle_status = $1::varchar, version = version + 1, updated_at = now(),
              published_at = CASE WHEN $1::varchar = 'published' THEN coalesce(published_at, now()) ELSE published_at END
        WHERE id = $2 AND version = $3
        RETURNING version`,
      [to, id, expectedVersion],
    );
    return row?.version;
  }

  async delete(db: Db, id: string, expectedVersion: number): Promise<boolean> {
    const rows = await sqlRows(db, `DELETE FROM catalogue_entries WHERE id = $1 AND version = $2 RETURNING id`, [id, expectedVersion]);
    return rows.length === 1;
  }

  async currentVersion(db: Db, id: string): Promise<number | undefined> {
    return (await sqlOne<{ version: number }>(db, `SELECT version FROM catalogue_entries WHERE id = $1`, [id]))?.version;
  }

  /** Records, in the writing transaction, that entries changed: the search outbox worker pushes them to an external index. */
  async addSearchOutbox(db: Db, entryIds: string[]): Promise<void> {
    if (entryIds.length) await sqlRows(db, `INSERT INTO search_outbox (entry_id) SELECT unnest($1::uuid[])`, [entryIds]);
  }

  async addRevision(db: Db, r: RevisionInput): Promise<void> {
    await this.addRevisions(db, [r]);
  }

  /** Records revisions in one statement. */
  async addRevisions(db: Db, rs: RevisionInput[]): Promise<void> {
    if (!rs.length) return;
    await sqlRows(
      db,
      `INSERT INTO revisions (entry_id, version, action, actor, actor_id, comment, review_comment, changes)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::varchar[], $4::text[], $5::uuid[], $6::text[], $7::boolean[], $8::jsonb[]) RETURNING id`,
      [
        rs.map((r) => r.entryId),
        rs.map((r) => r.version),
        rs.map((r) => r.action),
        rs.map((r) => r.actor),
        rs.map((r) => r.actorId ?? null),
        rs.map((r) => r.comment ?? null),
        rs.map((r) => r.reviewComment ?? false),
        rs.map((r) => JSON.stringify(r.changes)),
      ],
    );
  }

  /**
   * A page of an entry's revisions, newest first: by version, which the row lock orders (a revision's
   * time is when its transaction began, and a writer that waited for the lock began before the one
   * it follows). `fromPublication`: only those from the first
   * publication on (what the public sees).
   */
  async revisions(db: Db, entryId: string, fromPublication: boolean, limit: number, offset: number): Promise<{ rows: RevisionRow[]; total: number }> {
    const where = `r.entry_id = $1${fromPublication ? ' AND e.published_at IS NOT NULL AND r.created_at >= e.published_at' : ''}`;
    const rows = await sqlRows<RevisionRow>(
      db,
      `SELECT r.id, r.version, r.action, r.actor, r.actor_id, r.comment, r.review_comment, r.changes, r.created_at
         FROM revisions r JOIN catalogue_entries e ON e.id = r.entry_id
        WHERE ${where} ORDER BY r.version DESC, r.created_at DESC, r.id DESC LIMIT $2 OFFSET $3`,
      [entryId, limit, offset],
    );
    const total = await sqlOne<{ n: number }>(db, `SELECT count(*)::int AS n FROM revisions r JOIN catalogue_entries e ON e.id = r.entry_id WHERE ${where}`, [entryId]);
    return { rows, total: total?.n ?? 0 };
  }

  /** Sets the owner (transfers, claims, reassignment) if the entry is still at `expectedVersion`. */
  async setOwner(db: Db, id: string, expectedVersion: number, ownerId: string): Promise<number | undefined> {
    const row = await sqlOne<{ version: number }>(
      db,
      `UPDATE catalogue_entries SET owner_id = $1, version = version + 1, updated_at = now() WHERE id = $2 AND version = $3 RETURNING version`,
      [ownerId, id, expectedVersion],
    );
    return row?.version;
  }

  /** Bumps the version (a transfer request or decision changes the entry's state) if still at `expectedVersion`. */
  async touch(db: Db, id: string, expectedVersion: number): Promise<number | undefined> {
    const row = await sqlOne<{ version: number }>(db, `UPDATE catalogue_entries SET version = version + 1 WHERE id = $1 AND version = $2 RETURNING version`, [id, expectedVersion]);
    return row?.version;
  }
}
