import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Viewer } from '../auth/principal';
import { visibleToSql } from '../catalogue/visibility';
import type { EntryKind } from '../catalogue/entry.entity';
import { sortKey } from '../common/text';
import { sqlRows } from '../database/sql';
import { SqlParams } from '../database/sql-params';
import { tsQuerySql } from './text-query';

export interface SearchRequest {
  q: string;
  kind?: EntryKind;
  owner?: string;
  limit: number;
  offset: number;
}

export interface SearchHitRow {
  id: string;
  code: string;
  kind: EntryKind;
  name: string;
  description: string;
  owner_code: string | null;
  owner_name: string | null;
  lifecycle_status: string;
  operational_status: string;
  tags: string[];
  score: number;
}

export interface SearchOutcome {
  rows: SearchHitRow[];
  total: number;
  facets: { kind: Record<string, number>; owner: Record<string, number> };
}

/** PostgreSQL full-text search over every kind (the default search backend; works embedded). */
@Injectable()
export class SearchRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(req: SearchRequest, viewer: Viewer): Promise<SearchOutcome> {
    const p = new SqlParams();
    const visible = visibleToSql(viewer, p);
    const tsq = req.q.trim() ? tsQuerySql(req.q, p) : undefined;
    if (req.q.trim() && !tsq) return { rows: [], total: 0, facets: { kind: {}, owner: {} } };
    const match = tsq ? `e.search_vector @@ query.q` : 'TRUE';
    const kindFilter = req.kind ? `e.kind = ${p.add(req.kind)}` : 'TRUE';
    const ownerFilter = req.owner ? `lower(o.code) = lower(${p.add(req.owner)})` : 'TRUE';
    // Exact name or code first; then names starting with the query; then full-text rank (name > tags > text).
    // (Parameters are only added when used: PostgreSQL cannot type a parameter the statement never uses.)
    const score = tsq ? this.scoreSql(req.q, p) : '0';
    const limit = p.add(req.limit);
    const offset = p.add(req.offset);
    const sql = `
      WITH query AS (SELECT ${tsq ?? `''::tsquery`} AS q),
      matched AS (
        SELECT e.id, e.kind, o.code AS owner_code, (${kindFilter}) AS in_kind, (${ownerFilter}) AS in_owner
          FROM catalogue_entries e CROSS JOIN query LEFT JOIN organisations o ON o.id = e.owner_id
         WHERE ${visible} AND ${match}
      ),
      ranked AS (
        SELECT e.id, e.code, e.kind, e.name, e.description, o.code AS owner_code, o.name AS owner_name,
               e.lifecycle_status, e.operational_status, e.tags, (${score})::float8 AS score, e.name_key
          FROM catalogue_entries e CROSS JOIN query
          JOIN matched m ON m.id = e.id AND m.in_kind AND m.in_owner
          LEFT JOIN organisations o ON o.id = e.owner_id
      ),
      page AS (
        SELECT ranked.*, row_number() OVER (ORDER BY score DESC, name_key ASC, id ASC) AS rn
          FROM ranked
         ORDER BY score DESC, name_key ASC, id ASC
         LIMIT ${limit} OFFSET ${offset}
      )
      SELECT 'hit' AS part, to_jsonb(page.*) AS data, NULL::text AS facet, NULL::text AS value, rn::int AS n FROM page
      UNION ALL
      SELECT 'total', NULL, NULL, NULL, count(*)::int FROM matched WHERE in_kind AND in_owner
      UNION ALL
      SELECT 'facet', NULL, 'kind', kind, count(*)::int FROM matched WHERE in_owner GROUP BY kind
      UNION ALL
      SELECT 'facet', NULL, 'owner', owner_code, count(*)::int FROM matched WHERE in_kind AND owner_code IS NOT NULL GROUP BY owner_code`;
    const rows = await sqlRows<{ part: string; data: SearchHitRow | null; facet: string | null; value: string | null; n: number }>(this.dataSource, sql, p.values);
    const out: SearchOutcome = { rows: [], total: 0, facets: { kind: {}, owner: {} } };
    const hits: { row: SearchHitRow; rn: number }[] = [];
    for (const r of rows) {
      if (r.part === 'hit' && r.data) hits.push({ row: r.data, rn: r.n });
      else if (r.part === 'total') out.total = r.n;
      else if (r.part === 'facet' && r.value !== null) out.facets[r.facet as 'kind' | 'owner'][r.value] = r.n;
    }
    // UNION ALL does not keep the page's order: restore it from the row numbers.
    out.rows = hits.sort((a, b) => a.rn - b.rn).map((h) => h.row);
    return out;
  }

  private scoreSql(q: string, p: SqlParams): string {
    const qKey = p.add(sortKey(q));
    const qCode = p.add(q.trim().toUpperCase());
    return `ts_rank('{0.05, 0.2, 0.5, 1.0}', e.search_vector, query.q)
         + CASE WHEN e.name_key = ${qKey} THEN 10 ELSE 0 END
         + CASE WHEN e.code = ${qCode} THEN 20 ELSE 0 END
         + CASE WHEN e.name_key LIKE replace(replace(replace(${qKey}, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' THEN 1 ELSE 0 END`;
  }
}
