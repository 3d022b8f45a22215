import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { EntryKind } from '../catalogue/entry.entity';
import { sqlOne, sqlRows } from '../database/sql';

/**
 * An entry as an external search index holds it: what is searched, what is filtered and faceted on,
 * and the fields of the visibility rule (`lifecycleStatus`, `ownerId`, `unclaimed`, `reviewerOrgIds`,
 * `transferToOrgIds`; catalogue/visibility.ts). Restricted fields are never part of a document.
 */
export interface SearchDocument {
  id: string;
  code: string;
  kind: EntryKind;
  name: string;
  /** Folded name, the sort key (same as the database's name_key). */
  nameKey: string;
  description: string;
  ownerId: string | null;
  ownerCode: string | null;
  /** Lower-cased owner code: owner filters ignore case, as on PostgreSQL. */
  ownerCodeKey: string | null;
  ownerName: string | null;
  /** No owner: administrators of any organisation see it (to claim it). */
  unclaimed: boolean;
  /** Organisations assigned to the open review (entries in review only). */
  reviewerOrgIds: string[];
  /** The organisation a pending transfer would give the entry to. */
  transferToOrgIds: string[];
  lifecycleStatus: string;
  operationalStatus: string;
  tags: string[];
  themes: string[];
  translatedNames: string[];
  translatedText: string[];
  interfaceNames: string[];
  /** Interface and homepage URLs and X-Road ids. */
  urls: string[];
  updatedAt: number;
}

interface DocumentRow {
  id: string;
  code: string;
  kind: EntryKind;
  name: string;
  name_key: string;
  description: string;
  owner_id: string | null;
  owner_code: string | null;
  owner_name: string | null;
  reviewer_org_ids: string[] | null;
  transfer_to_org_ids: string[] | null;
  lifecycle_status: string;
  operational_status: string;
  tags: string[];
  themes: string[];
  translations: Record<string, { name?: string; description?: string }> | null;
  details: { interfaces?: Record<string, unknown>[]; homepage?: string } | null;
  updated_at: Date | string;
}

const DOCUMENT_SELECT = `
  SELECT e.id, e.code, e.kind, e.name, e.name_key, e.description, e.owner_id, o.code AS owner_code, o.name AS owner_name,
         e.lifecycle_status, e.operational_status, e.tags, e.themes, e.translations,
         jsonb_build_object('interfaces', e.details->'interfaces', 'homepage', e.details->'homepage') AS details, e.updated_at,
         (SELECT r.reviewer_org_ids FROM reviews r WHERE r.entry_id = e.id AND r.status = 'open' AND e.lifecycle_status = 'in_review') AS reviewer_org_ids,
         ARRAY(SELECT t.to_org_id FROM transfers t WHERE t.entry_id = e.id AND t.status = 'pending') AS transfer_to_org_ids
    FROM catalogue_entries e LEFT JOIN organisations o ON o.id = e.owner_id`;

function strings(values: unknown[]): string[] {
  return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

export function toSearchDocument(r: DocumentRow): SearchDocument {
  const translations = r.translations && typeof r.translations === 'object' ? Object.values(r.translations) : [];
  const interfaces = Array.isArray(r.details?.interfaces) ? r.details!.interfaces.filter((i) => i && typeof i === 'object') : [];
  const xroadId = (i: Record<string, unknown>) => {
    const x = i.xroad as Record<string, string> | undefined;
    return x ? [x.instance, x.memberClass, x.memberCode, x.subsystemCode, x.serviceCode, x.serviceVersion].filter(Boolean).join('/') : undefined;
  };
  return {
    id: r.id,
    code: r.code,
    kind: r.kind,
    name: r.name,
    nameKey: r.name_key,
    description: r.description,
    ownerId: r.owner_id,
    ownerCode: r.owner_code,
    ownerCodeKey: r.owner_code?.toLowerCase() ?? null,
    ownerName: r.owner_name,
    unclaimed: r.owner_id === null,
    reviewerOrgIds: r.reviewer_org_ids ?? [],
    transferToOrgIds: r.transfer_to_org_ids ?? [],
    lifecycleStatus: r.lifecycle_status,
    operationalStatus: r.operational_status,
    tags: r.tags,
    themes: r.themes,
    translatedNames: strings(translations.map((t) => t?.name)),
    translatedText: strings(translations.map((t) => t?.description)),
    interfaceNames: strings(interfaces.map((i) => i.name)),
    urls: strings([r.details?.homepage, ...interfaces.flatMap((i) => [i.baseUrl, i.specUrl, i.documentationUrl, xroadId(i)])]),
    updatedAt: new Date(r.updated_at).getTime(),
  };
}

export interface OutboxRow {
  id: string;
  entry_id: string;
  attempts: number;
}

/** Reads entries as search documents, and the search outbox (rows written with each entry change). */
@Injectable()
export class SearchDocumentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async byIds(ids: string[]): Promise<SearchDocument[]> {
    if (!ids.length) return [];
    return (await sqlRows<DocumentRow>(this.dataSource, `${DOCUMENT_SELECT} WHERE e.id = ANY($1::uuid[])`, [ids])).map(toSearchDocument);
  }

  /** A page of every entry in id order (keyset pagination, for reindexing). */
  async pageAfter(afterId: string | null, limit: number): Promise<SearchDocument[]> {
    const rows = await sqlRows<DocumentRow>(
      this.dataSource,
      `${DOCUMENT_SELECT} WHERE ($1::uuid IS NULL OR e.id > $1::uuid) ORDER BY e.id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(toSearchDocument);
  }

  async countEntries(): Promise<number> {
    return (await sqlOne<{ n: number }>(this.dataSource, `SELECT count(*)::int AS n FROM catalogue_entries`))?.n ?? 0;
  }

  /** Rows whose next attempt is due, oldest first. */
  due(limit: number): Promise<OutboxRow[]> {
    return sqlRows<OutboxRow>(
      this.dataSource,
      `SELECT id::text AS id, entry_id, attempts FROM search_outbox WHERE next_attempt_at <= now() ORDER BY id LIMIT $1`,
      [limit],
    );
  }

  async done(ids: string[]): Promise<void> {
    if (ids.length) await sqlRows(this.dataSource, `DELETE FROM search_outbox WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /** Counts a failed attempt and schedules the next one `delaysMs[i]` later (per row). */
  async failed(rows: { id: string; delayMs: number }[], error: string): Promise<void> {
    if (!rows.length) return;
    await sqlRows(
      this.dataSource,
      `UPDATE search_outbox o SET attempts = o.attempts + 1, last_error = $3,
              next_attempt_at = now() + make_interval(secs => d.delay / 1000.0)
         FROM unnest($1::bigint[], $2::int[]) AS d(id, delay) WHERE o.id = d.id`,
      [rows.map((r) => r.id), rows.map((r) => r.delayMs), error.slice(0, 2000)],
    );
  }

  async maxOutboxId(): Promise<string | null> {
    return (await sqlOne<{ id: string | null }>(this.dataSource, `SELECT max(id)::text AS id FROM search_outbox`))?.id ?? null;
  }

  /** After a full reindex: rows written before it started are covered by it. */
  async clearUpTo(maxId: string): Promise<void> {
    await sqlRows(this.dataSource, `DELETE FROM search_outbox WHERE id <= $1::bigint`, [maxId]);
  }

  async pending(): Promise<{ rows: number; failing: number }> {
    return (
      (await sqlOne<{ rows: number; failing: number }>(
        this.dataSource,
        `SELECT count(*)::int AS rows, count(*) FILTER (WHERE attempts > 0)::int AS failing FROM search_outbox`,
      )) ?? { rows: 0, failing: 0 }
    );
  }

  /**
   * Runs `fn` while holding the outbox's advisory lock, so one worker runs across every replica;
   * returns undefined without running it when another process holds the lock. Lock and unlock go
   * through one query runner (a session-level lock belongs to a connection).
   */
  async withWorkerLock<T>(fn: () => Promise<T>): Promise<T | undefined> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const got = await runner.query(`SELECT pg_try_advisory_lock(${OUTBOX_LOCK_KEY}) AS ok`);
      if (!got[0]?.ok) return undefined;
      try {
        return await fn();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(${OUTBOX_LOCK_KEY})`);
      }
    } finally {
      await runner.release();
    }
  }
}

/** Advisory lock key of the search outbox worker (an arbitrary constant, unique in this database). */
export const OUTBOX_LOCK_KEY = 4_204_201;
