import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Viewer } from '../auth/principal';
import { Db, sqlOne, sqlRows } from '../database/sql';
import { SqlParams } from '../database/sql-params';
import { RELATION_TYPES } from './relation-types';
import { visibleToSql } from './visibility';

export interface RelationRow {
  id: string;
  type: string;
  source_id: string;
  source_code: string;
  source_kind: string;
  source_name: string;
  source_status: string;
  target_id: string;
  target_code: string;
  target_kind: string;
  target_name: string;
  target_status: string;
  interface_id: string | null;
  interface_name: string | null;
  note: string | null;
  created_at: Date;
}

export interface GraphNodeRow {
  id: string;
  code: string;
  kind: string;
  name: string;
  lifecycle_status: string;
  depth: number;
  roles: string[];
}

export interface GraphEdgeRow {
  id: string;
  source_id: string;
  target_id: string;
  type: string;
}

const RELATION_SELECT = `
  SELECT r.id, r.type, r.source_id, s.code AS source_code, s.kind AS source_kind, s.name AS source_name, s.lifecycle_status AS source_status,
         r.target_id, t.code AS target_code, t.kind AS target_kind, t.name AS target_name, t.lifecycle_status AS target_status,
         r.interface_id,
         (SELECT i->>'name' FROM catalogue_entries x, jsonb_array_elements(CASE WHEN jsonb_typeof(x.details->'interfaces') = 'array' THEN x.details->'interfaces' ELSE '[]'::jsonb END) i
           WHERE x.id IN (r.source_id, r.target_id) AND i->>'id' = r.interface_id::text LIMIT 1) AS interface_name,
         r.note, r.created_at
    FROM relations r
    JOIN catalogue_entries s ON s.id = r.source_id
    JOIN catalogue_entries t ON t.id = r.target_id`;

/** The types whose outage travels from target to source (source depends on target), and the other way. */
function sqlList(values: string[]): string {
  return values.length ? values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ') : `''`;
}
const SOURCE_DEPENDS = sqlList(RELATION_TYPES.filter((t) => t.sourceDependsOnTarget).map((t) => t.type));
const TARGET_DEPENDS = sqlList(RELATION_TYPES.filter((t) => t.targetDependsOnSource).map((t) => t.type));

/** All SQL on relations, including the impact graph. Both ends of every relation pass the visibility rule. */
@Injectable()
export class RelationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Relations of an entry whose other end the viewer may see (the entry itself was checked by the caller). */
  listForEntry(entryId: string, viewer: Viewer): Promise<RelationRow[]> {
    const p = new SqlParams();
    const id = p.add(entryId);
    return sqlRows<RelationRow>(
      this.dataSource,
      `${RELATION_SELECT}
        WHERE (r.source_id = ${id}::uuid OR r.target_id = ${id}::uuid)
          AND ${visibleToSql(viewer, p, 's')} AND ${visibleToSql(viewer, p, 't')}
        ORDER BY r.type, CASE WHEN r.source_id = ${id}::uuid THEN t.name_key ELSE s.name_key END, r.id`,
      p.values,
    );
  }

  /** Relations of some types whose both ends the viewer may see (exports, reports). */
  listVisible(types: string[], viewer: Viewer): Promise<RelationRow[]> {
    const p = new SqlParams();
    return sqlRows<RelationRow>(
      this.dataSource,
      `${RELATION_SELECT} WHERE r.type = ANY(${p.add(types)}::text[]) AND ${visibleToSql(viewer, p, 's')} AND ${visibleToSql(viewer, p, 't')} ORDER BY s.code, t.code, r.id`,
      p.values,
    );
  }

  findById(db: Db, id: string): Promise<RelationRow | undefined> {
    return sqlOne<RelationRow>(db, `${RELATION_SELECT} WHERE r.id = $1::uuid`, [id]);
  }

  /** Inserts; undefined when the same link exists. */
  async insert(
    db: Db,
    r: { sourceId: string; targetId: string; type: string; interfaceId: string | null; note: string | null; createdBy: string },
  ): Promise<string | undefined> {
    const row = await sqlOne<{ id: string }>(
      db,
      `INSERT INTO relations (source_id, target_id, type, interface_id, note, created_by)
       VALUES ($1::uuid, $2::uuid, $3, $4::uuid, $5, $6)
       ON CONFLICT (source_id, type, target_id) DO NOTHING
       RETURNING id`,
      [r.sourceId, r.targetId, r.type, r.interfaceId, r.note, r.createdBy],
    );
    return row?.id;
  }

  async delete(db: Db, id: string): Promise<boolean> {
    return (await sqlRows(db, `DELETE FROM relations WHERE id = $1::uuid RETURNING id`, [id])).length === 1;
  }

  /**
   * The impact graph around an entry in one recursive query. An edge `dependant → dependency` exists
   * for each relation according to its type; the walk follows edges whose both ends the viewer may
   * see (a hidden entry neither appears nor passes an outage on) and stops at `depth` hops.
   * The recursion keeps rows (entry, distance, direction) under UNION, which drops repeats, so a cycle
   * cannot loop and the work is bounded by entries × depth (a path array would enumerate every path,
   * which explodes on densely linked systems). Edges are the dependency links among the entries reached.
   */
  async graph(rootId: string, direction: 'dependants' | 'dependencies' | 'both', depth: number, viewer: Viewer): Promise<{ nodes: GraphNodeRow[]; edges: GraphEdgeRow[] }> {
    const p = new SqlParams();
    const root = p.add(rootId);
    const maxDepth = p.add(depth);
    const dirs = direction === 'both' ? ['dependant', 'dependency'] : [direction === 'dependants' ? 'dependant' : 'dependency'];
    const seeds = dirs.map((d) => `SELECT ${root}::uuid AS node, 0 AS depth, '${d}'::text AS dir`).join(' UNION ');
    const rows = await sqlRows<{ node: string; depth: number; rel_id: string | null; dir: string }>(
      this.dataSource,
      `WITH RECURSIVE
         visible AS (SELECT e.id FROM catalogue_entries e WHERE ${visibleToSql(viewer, p)}),
         edge AS (
           SELECT r.id AS rel_id, r.source_id AS dependant, r.target_id AS dependency FROM relations r WHERE r.type IN (${SOURCE_DEPENDS})
           UNION ALL
           SELECT r.id, r.target_id, r.source_id FROM relations r WHERE r.type IN (${TARGET_DEPENDS})),
         visible_edge AS (
           SELECT ed.* FROM edge ed
            WHERE ed.dependant IN (SELECT id FROM visible) AND ed.dependency IN (SELECT id FROM visible)),
         walk(node, depth, dir) AS (
           ${seeds}
           UNION
           SELECT CASE WHEN w.dir = 'dependant' THEN ve.dependant ELSE ve.dependency END, w.depth + 1, w.dir
             FROM walk w
             JOIN visible_edge ve ON (w.dir = 'dependant' AND ve.dependency = w.node) OR (w.dir = 'dependency' AND ve.dependant = w.node)
            WHERE w.depth < ${maxDepth}),
         reached AS (
           SELECT node, min(depth) AS depth, dir FROM walk WHERE ${root}::uuid IN (SELECT id FROM visible) GROUP BY node, dir)
       SELECT node::text AS node, depth, NULL::text AS rel_id, dir FROM reached
       UNION ALL
       SELECT NULL, NULL, ve.rel_id::text, a.dir
         FROM visible_edge ve
         JOIN reached a ON a.dir = 'dependant' AND a.node = ve.dependant
         JOIN reached b ON b.dir = 'dependant' AND b.node = ve.dependency AND b.depth < a.depth
       UNION ALL
       SELECT NULL, NULL, ve.rel_id::text, a.dir
         FROM visible_edge ve
         JOIN reached a ON a.dir = 'dependency' AND a.node = ve.dependency
         JOIN reached b ON b.dir = 'dependency' AND b.node = ve.dependant AND b.depth < a.depth`,
      p.values,
    );
    const nodeInfo = new Map<string, { depth: number; roles: Set<string> }>();
    const relIds = new Set<string>();
    for (const r of rows) {
      if (r.rel_id) {
        relIds.add(r.rel_id);
        continue;
      }
      const info = nodeInfo.get(r.node) ?? { depth: r.depth, roles: new Set<string>() };
      info.depth = Math.min(info.depth, r.depth);
      info.roles.add(r.depth === 0 ? 'root' : r.dir);
      nodeInfo.set(r.node, info);
    }
    if (!nodeInfo.size) return { nodes: [], edges: [] };
    const entries = await sqlRows<Omit<GraphNodeRow, 'depth' | 'roles'>>(
      this.dataSource,
      `SELECT id::text AS id, code, kind, name, lifecycle_status FROM catalogue_entries WHERE id = ANY($1::uuid[])`,
      [[...nodeInfo.keys()]],
    );
    const edges = relIds.size
      ? await sqlRows<GraphEdgeRow>(
          this.dataSource,
          `SELECT id::text AS id, source_id::text AS source_id, target_id::text AS target_id, type FROM relations WHERE id = ANY($1::uuid[]) ORDER BY type, id`,
          [[...relIds]],
        )
      : [];
    const nodes = entries
      .map((e) => ({ ...e, depth: nodeInfo.get(e.id)!.depth, roles: [...nodeInfo.get(e.id)!.roles].sort() }))
      .sort((a, b) => a.depth - b.depth || a.code.localeCompare(b.code));
    return { nodes, edges };
  }
}
