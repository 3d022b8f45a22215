import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Viewer } from '../auth/principal';
import { visibleToSql } from '../catalogue/visibility';
import { sqlRows } from '../database/sql';
import { SqlParams } from '../database/sql-params';

export interface OnceOnlyRow {
  eservice_id: string;
  eservice_code: string;
  eservice_name: string;
  eservice_owner_code: string | null;
  eservice_owner_name: string | null;
  evidence: { id?: string; name: string; description?: string };
  dataset_id: string;
  dataset_code: string;
  dataset_name: string;
  dataset_owner_code: string | null;
  dataset_owner_name: string | null;
  authoritative: boolean;
}

export interface ExposureRow {
  dataset_id: string;
  system_id: string;
  system_code: string;
  system_name: string;
  interface: Record<string, unknown>;
}

export interface QualityRow {
  id: string;
  kind: string;
  code: string;
  name: string;
  lifecycle_status: string;
  owner_code: string | null;
  quality_score: number;
  quality_missing: string[];
}

/** Reporting queries. Every entry they read passes the visibility rule. */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Evidence an e-service asks the applicant for while a dataset the viewer may see already holds it
   * (evidence.dataset names the dataset by code or uuid; evidence the administration already fetches
   * is left out).
   */
  onceOnly(viewer: Viewer, filter: { owner?: string }): Promise<OnceOnlyRow[]> {
    const p = new SqlParams();
    const where = [`s.kind = 'eservice'`, visibleToSql(viewer, p, 's'), visibleToSql(viewer, p, 'd'), `coalesce(ev->>'suppliedBy', 'applicant') = 'applicant'`];
    if (filter.owner) where.push(`lower(so.code) = lower(${p.add(filter.owner)})`);
    return sqlRows<OnceOnlyRow>(
      this.dataSource,
      `SELECT s.id AS eservice_id, s.code AS eservice_code, s.name AS eservice_name, so.code AS eservice_owner_code, so.name AS eservice_owner_name,
              ev AS evidence, d.id AS dataset_id, d.code AS dataset_code, d.name AS dataset_name, dov.code AS dataset_owner_code, dov.name AS dataset_owner_name,
              coalesce((d.details->>'authoritativeSource')::boolean, false) AS authoritative
         FROM catalogue_entries s
         LEFT JOIN organisations so ON so.id = s.owner_id
         CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(s.details->'evidence') = 'array' THEN s.details->'evidence' ELSE '[]'::jsonb END) ev
         JOIN catalogue_entries d ON d.kind = 'dataset' AND (d.code = upper(ev->>'dataset') OR d.id::text = lower(ev->>'dataset'))
         LEFT JOIN organisations dov ON dov.id = d.owner_id
        WHERE ${where.join(' AND ')}
        ORDER BY s.code, ev->>'name', d.code`,
      p.values,
    );
  }

  /** Interfaces of visible systems that host (or use through an interface) each dataset. */
  exposures(datasetIds: string[], viewer: Viewer): Promise<ExposureRow[]> {
    if (!datasetIds.length) return Promise.resolve([]);
    const p = new SqlParams();
    return sqlRows<ExposureRow>(
      this.dataSource,
      `SELECT DISTINCT r.target_id AS dataset_id, sys.id AS system_id, sys.code AS system_code, sys.name AS system_name, i AS interface
         FROM relations r
         JOIN catalogue_entries sys ON sys.id = r.source_id AND sys.kind = 'system'
         CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(sys.details->'interfaces') = 'array' THEN sys.details->'interfaces' ELSE '[]'::jsonb END) i
        WHERE r.target_id = ANY(${p.add(datasetIds)}::uuid[])
          AND (r.type = 'hosts' OR (r.interface_id IS NOT NULL AND i->>'id' = r.interface_id::text))
          AND i->>'missingSince' IS NULL
          AND ${visibleToSql(viewer, p, 'sys')}
        ORDER BY sys.code`,
      p.values,
    );
  }

  quality(viewer: Viewer, filter: { kind?: string; owner?: string; lifecycleStatus?: string; maxQuality?: number; limit: number; offset: number }): Promise<QualityRow[]> {
    const p = new SqlParams();
    const where = [visibleToSql(viewer, p)];
    if (filter.kind) where.push(`e.kind = ${p.add(filter.kind)}`);
    if (filter.owner) where.push(`lower(o.code) = lower(${p.add(filter.owner)})`);
    if (filter.lifecycleStatus) where.push(`e.lifecycle_status = ${p.add(filter.lifecycleStatus)}`);
    if (filter.maxQuality !== undefined) where.push(`e.quality_score <= ${p.add(filter.maxQuality)}`);
    return sqlRows<QualityRow>(
      this.dataSource,
      `SELECT e.id, e.kind, e.code, e.name, e.lifecycle_status, o.code AS owner_code, e.quality_score, e.quality_missing, count(*) OVER ()::int AS total
         FROM catalogue_entries e LEFT JOIN organisations o ON o.id = e.owner_id
        WHERE ${where.join(' AND ')}
        ORDER BY e.quality_score ASC, e.code ASC
        LIMIT ${p.add(filter.limit)} OFFSET ${p.add(filter.offset)}`,
      p.values,
    );
  }
}
