import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { sortKey } from '../common/text';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Db, sqlOne, sqlRows } from '../database/sql';
import { SqlParams } from '../database/sql-params';

export interface OrganisationRow {
  id: string;
  code: string;
  name: string;
  acronym: string | null;
  type: string;
  parent_id: string | null;
  parent_code: string | null;
  website: string | null;
  email: string | null;
  xroad_instance: string | null;
  xroad_member_class: string | null;
  xroad_member_code: string | null;
  source: Record<string, unknown> | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface OrganisationValues {
  code?: string;
  name: string;
  acronym: string | null;
  type: string;
  parentId: string | null;
  website: string | null;
  email: string | null;
  xroadInstance: string | null;
  xroadMemberClass: string | null;
  xroadMemberCode: string | null;
  source: Record<string, unknown> | null;
}

const SELECT = `
  SELECT g.id, g.code, g.name, g.acronym, g.type, g.parent_id, p.code AS parent_code, g.website, g.email,
         g.xroad_instance, g.xroad_member_class, g.xroad_member_code, g.source, g.version, g.created_at, g.updated_at
    FROM organisations g LEFT JOIN organisations p ON p.id = g.parent_id`;

const SORTS: Record<string, string> = { name: 'g.name_key ASC', '-name': 'g.name_key DESC', code: 'g.code ASC', '-code': 'g.code DESC' };

@Injectable()
export class OrganisationsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Ids of organisations by code (any case), keyed by the lower-cased code. */
  async findIdsByCodes(db: Db, codes: string[]): Promise<Map<string, string>> {
    if (!codes.length) return new Map();
    const rows = await sqlRows<{ id: string; code: string }>(db, `SELECT id, lower(code) AS code FROM organisations WHERE lower(code) = ANY($1::text[])`, [
      [...new Set(codes.map((c) => c.toLowerCase()))],
    ]);
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  async findIdByCode(db: Db, code: string): Promise<string | null> {
    return (await sqlOne<{ id: string }>(db, `SELECT id FROM organisations WHERE lower(code) = lower($1)`, [code]))?.id ?? null;
  }

  findByXRoadMember(db: Db, instance: string, memberClass: string, memberCode: string): Promise<OrganisationRow | undefined> {
    return sqlOne<OrganisationRow>(db, `${SELECT} WHERE g.xroad_instance = $1 AND g.xroad_member_class = $2 AND g.xroad_member_code = $3 ORDER BY g.created_at, g.id LIMIT 1`, [
      instance,
      memberClass,
      memberCode,
    ]);
  }

  /** Organisations an import created from a source (format and instance kept in `source`). */
  findBySource(db: Db, format: string, instance: string): Promise<OrganisationRow[]> {
    return sqlRows<OrganisationRow>(db, `${SELECT} WHERE g.source->>'format' = $1 AND g.source->>'instance' = $2`, [format, instance]);
  }

  /** `lock`: the row stays locked for the rest of the transaction (a write over whatever is current). */
  findByCode(code: string, db: Db = this.dataSource, lock = false): Promise<OrganisationRow | undefined> {
    return sqlOne<OrganisationRow>(db, `${SELECT} WHERE lower(g.code) = lower($1)${lock ? ' FOR UPDATE OF g' : ''}`, [code]);
  }

  async list(q: { q?: string; type?: string; sort?: string; limit: number; offset: number }): Promise<{ rows: OrganisationRow[]; total: number }> {
    const p = new SqlParams();
    const where = ['TRUE'];
    if (q.type) where.push(`g.type = ${p.add(q.type)}`);
    if (q.q) {
      const like = p.add(`%${sortKey(q.q).replace(/[\\%_]/g, '\\$&')}%`);
      where.push(`(g.name_key LIKE ${like} OR lower(catalogue_unaccent(coalesce(g.acronym, ''))) LIKE ${like} OR lower(g.code) LIKE ${like})`);
    }
    const w = where.join(' AND ');
    const countParams = [...p.values];
    const rows = await sqlRows<OrganisationRow>(
      this.dataSource,
      `${SELECT} WHERE ${w} ORDER BY ${SORTS[q.sort ?? 'name']}, g.id LIMIT ${p.add(q.limit)} OFFSET ${p.add(q.offset)}`,
      p.values,
    );
    const total = await sqlOne<{ n: number }>(this.dataSource, `SELECT count(*)::int AS n FROM organisations g WHERE ${w}`, countParams);
    return { rows, total: total?.n ?? 0 };
  }

  /**
   * Inserts; undefined when the given code is taken. A generated code skips numbers that organisations
   * created with an explicit code (IN00002) already hold.
   */
  async insert(db: Db, v: OrganisationValues): Promise<{ id: string; code: string } | undefined> {
    if (v.code) return this.insertOnce(db, v);
    for (let attempt = 0; attempt < 1000; attempt++) {
      const row = await this.insertOnce(db, v);
      if (row) return row;
    }
    return undefined;
  }

  /**
   * Only a taken code is skipped (and, for a generated code, the next one tried): a taken X-Road
   * member id (uq_organisations_xroad_member) is a unique violation, so a concurrent import retries
   * and matches the member, instead of burning codes until it gives up.
   */
  private async insertOnce(db: Db, v: OrganisationValues): Promise<{ id: string; code: string } | undefined> {
    const p = new SqlParams();
    const code = v.code ? p.add(v.code) : `'IN' || lpad(nextval('organisation_code_seq')::text, 5, '0')`;
    return sqlOne<{ id: string; code: string }>(
      db,
      `INSERT INTO organisations (code, name, name_key, acronym, type, parent_id, website, email, xroad_instance, xroad_member_class, xroad_member_code, source)
       VALUES (${code}, ${p.add(v.name)}, ${p.add(sortKey(v.name))}, ${p.add(v.acronym)}, ${p.add(v.type)}, ${p.add(v.parentId)}::uuid,
               ${p.add(v.website)}, ${p.add(v.email)}, ${p.add(v.xroadInstance)}, ${p.add(v.xroadMemberClass)}, ${p.add(v.xroadMemberCode)}, ${p.json(v.source)})
       ON CONFLICT ((lower(code))) DO NOTHING
       RETURNING id, code`,
      p.values,
    );
  }

  async update(db: Db, id: string, expectedVersion: number, v: OrganisationValues): Promise<number | undefined> {
    const p = new SqlParams();
    const row = await sqlOne<{ version: number }>(
      db,
      `UPDATE organisations SET name = ${p.add(v.name)}, name_key = ${p.add(sortKey(v.name))}, acronym = ${p.add(v.acronym)}, type = ${p.add(v.type)},
              parent_id = ${p.add(v.parentId)}::uuid, website = ${p.add(v.website)}, email = ${p.add(v.email)},
              xroad_instance = ${p.add(v.xroadInstance)}, xroad_member_class = ${p.add(v.xroadMemberClass)}, xroad_member_code = ${p.add(v.xroadMemberCode)},
              source = ${p.json(v.source)}, version = version + 1, updated_at = now()
        WHERE id = ${p.add(id)} AND version = ${p.add(expectedVersion)}
        RETURNING version`,
      p.values,
    );
    // The search documents of an external index (Meilisearch) carry the owner's name and code: its
    // entries are pushed again through the outbox, as for any entry write.
    if (row && this.config.searchBackend !== 'postgres') {
      await sqlRows(db, `INSERT INTO search_outbox (entry_id) SELECT id FROM catalogue_entries WHERE owner_id = $1 RETURNING id`, [id]);
    }
    return row?.version;
  }

  /** True when making `parentId` the parent of `id` would close a loop. */
  async wouldCycle(db: Db, id: string, parentId: string): Promise<boolean> {
    const row = await sqlOne<{ hit: boolean }>(
      db,
      `WITH RECURSIVE up(id, depth) AS (
         SELECT $1::uuid, 0
         UNION ALL
         SELECT g.parent_id, up.depth + 1 FROM organisations g JOIN up ON g.id = up.id WHERE g.parent_id IS NOT NULL AND up.depth < 100)
       SELECT EXISTS (SELECT 1 FROM up WHERE id = $2::uuid) AS hit`,
      [parentId, id],
    );
    return !!row?.hit;
  }

  async entryCount(db: Db, id: string): Promise<number> {
    return (await sqlOne<{ n: number }>(db, `SELECT count(*)::int AS n FROM catalogue_entries WHERE owner_id = $1`, [id]))?.n ?? 0;
  }
}
