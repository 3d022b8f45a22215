import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Viewer } from '../auth/principal';
import { Db, sqlOne, sqlRows } from '../database/sql';
import { SqlParams } from '../database/sql-params';
import type { EntryKind } from './entry.entity';
import { visibleToSql } from './visibility';
import type { ReviewDecision, TransferKind, TransferStatus } from './workflow.entity';

export interface TransferRow {
  id: string;
  entry_id: string;
  entry_kind: EntryKind;
  entry_code: string;
  entry_name: string;
  kind: TransferKind;
  from_org_id: string | null;
  from_code: string | null;
  from_name: string | null;
  to_org_id: string;
  to_code: string;
  to_name: string;
  status: TransferStatus;
  requested_by_name: string | null;
  comment: string | null;
  decided_by_name: string | null;
  decision_comment: string | null;
  created_at: Date;
  decided_at: Date | null;
}

export interface ReviewRow {
  id: string;
  entry_id: string;
  entry_kind: EntryKind;
  entry_code: string;
  entry_name: string;
  entry_owner_id: string | null;
  entry_status: string;
  status: 'open' | 'closed';
  reviewer_org_ids: string[];
  reviewer_codes: string[];
  deadline: string | Date;
  outcome: string | null;
  created_at: Date;
  closed_at: Date | null;
}

export interface DecisionRow {
  id: string;
  decision: ReviewDecision;
  comment: string | null;
  user_name: string | null;
  organisation_code: string | null;
  created_at: Date;
}

const TRANSFER_SELECT = `
  SELECT t.id, t.entry_id, e.kind AS entry_kind, e.code AS entry_code, e.name AS entry_name, t.kind,
         t.from_org_id, f.code AS from_code, f.name AS from_name, t.to_org_id, o.code AS to_code, o.name AS to_name,
         t.status, ru.name AS requested_by_name, t.comment, du.name AS decided_by_name, t.decision_comment, t.created_at, t.decided_at
    FROM transfers t
    JOIN catalogue_entries e ON e.id = t.entry_id
    JOIN organisations o ON o.id = t.to_org_id
    LEFT JOIN organisations f ON f.id = t.from_org_id
    LEFT JOIN users ru ON ru.id = t.requested_by
    LEFT JOIN users du ON du.id = t.decided_by`;

const REVIEW_SELECT = `
  SELECT r.id, r.entry_id, e.kind AS entry_kind, e.code AS entry_code, e.name AS entry_name, e.owner_id AS entry_owner_id,
         e.lifecycle_status AS entry_status, r.status, r.reviewer_org_ids,
         coalesce((SELECT array_agg(ro.code ORDER BY ro.code) FROM organisations ro WHERE ro.id = ANY(r.reviewer_org_ids)), '{}') AS reviewer_codes,
         r.deadline::text AS deadline, r.outcome, r.created_at, r.closed_at
    FROM reviews r JOIN catalogue_entries e ON e.id = r.entry_id`;

/** All SQL on transfers, reviews and review decisions. */
@Injectable()
export class WorkflowRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // ---- transfers ----

  pendingTransfer(db: Db, entryId: string): Promise<TransferRow | undefined> {
    return sqlOne<TransferRow>(db, `${TRANSFER_SELECT} WHERE t.entry_id = $1 AND t.status = 'pending'`, [entryId]);
  }

  transferById(db: Db, id: string): Promise<TransferRow | undefined> {
    return sqlOne<TransferRow>(db, `${TRANSFER_SELECT} WHERE t.id = $1`, [id]);
  }

  /** Inserts a pending request; undefined when one is already pending (the partial unique index decides). */
  async insertTransfer(db: Db, t: { entryId: string; kind: TransferKind; fromOrgId: string | null; toOrgId: string; requestedBy: string | null; comment: string | null }): Promise<string | undefined> {
    const row = await sqlOne<{ id: string }>(
      db,
      `INSERT INTO transfers (entry_id, kind, from_org_id, to_org_id, requested_by, comment) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (entry_id) WHERE status = 'pending' DO NOTHING RETURNING id`,
      [t.entryId, t.kind, t.fromOrgId, t.toOrgId, t.requestedBy, t.comment],
    );
    return row?.id;
  }

  /** Closes a pending transfer (one conditional statement: two deciders cannot both close it). */
  async closeTransfer(db: Db, id: string, status: Exclude<TransferStatus, 'pending'>, decidedBy: string | null, comment: string | null): Promise<boolean> {
    const rows = await sqlRows(
      db,
      `UPDATE transfers SET status = $2, decided_by = $3, decision_comment = $4, decided_at = now(), version = version + 1
        WHERE id = $1 AND status = 'pending' RETURNING id`,
      [id, status, decidedBy, comment],
    );
    return rows.length === 1;
  }

  /** Transfers of entries the viewer can see, where the viewer is on one side (coordinators: all). */
  async listTransfers(viewer: Viewer, f: { status?: string; direction?: 'incoming' | 'outgoing' }, limit: number, offset: number): Promise<{ rows: TransferRow[]; total: number }> {
    const p = new SqlParams();
    const where = [visibleToSql(viewer, p)];
    if (f.status) where.push(`t.status = ${p.add(f.status)}`);
    if (!viewer.seesAll || f.direction) {
      const orgs = `${p.add(viewer.memberOf)}::uuid[]`;
      if (f.direction === 'incoming') where.push(`t.to_org_id = ANY(${orgs})`);
      else if (f.direction === 'outgoing') where.push(`t.from_org_id = ANY(${orgs})`);
      else where.push(`(t.to_org_id = ANY(${orgs}) OR t.from_org_id = ANY(${orgs}))`);
    }
    const whereSql = where.join(' AND ');
    const countParams = [...p.values];
    const rows = await sqlRows<TransferRow>(this.dataSource, `${TRANSFER_SELECT} WHERE ${whereSql} ORDER BY t.created_at DESC, t.id DESC LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`, p.values);
    const total = await sqlOne<{ n: number }>(this.dataSource, `SELECT count(*)::int AS n FROM transfers t JOIN catalogue_entries e ON e.id = t.entry_id WHERE ${whereSql}`, countParams);
    return { rows, total: total?.n ?? 0 };
  }

  // ---- reviews ----

  async openReview(db: Db, entryId: string, deadline: string): Promise<string> {
    const row = await sqlOne<{ id: string }>(db, `INSERT INTO reviews (entry_id, deadline) VALUES ($1, $2::date) RETURNING id`, [entryId, deadline]);
    return row!.id;
  }

  openReviewOf(db: Db, entryId: string): Promise<ReviewRow | undefined> {
    return sqlOne<ReviewRow>(db, `${REVIEW_SELECT} WHERE r.entry_id = $1 AND r.status = 'open'`, [entryId]);
  }

  async closeReview(db: Db, reviewId: string, outcome: string): Promise<void> {
    await sqlRows(db, `UPDATE reviews SET status = 'closed', outcome = $2, closed_at = now() WHERE id = $1 AND status = 'open' RETURNING id`, [reviewId, outcome]);
  }

  async addDecision(db: Db, d: { reviewId: string; userId: string | null; organisationId: string | null; decision: ReviewDecision; comment: string | null }): Promise<void> {
    await sqlRows(db, `INSERT INTO review_decisions (review_id, user_id, organisation_id, decision, comment) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
      d.reviewId,
      d.userId,
      d.organisationId,
      d.decision,
      d.comment,
    ]);
  }

  async addReviewer(db: Db, reviewId: string, orgId: string): Promise<void> {
    await sqlRows(
      db,
      `UPDATE reviews SET reviewer_org_ids = array_append(reviewer_org_ids, $2::uuid) WHERE id = $1 AND NOT ($2::uuid = ANY(reviewer_org_ids)) RETURNING id`,
      [reviewId, orgId],
    );
  }

  /** A review of an entry the viewer can see. */
  findReview(viewer: Viewer, id: string, db: Db = this.dataSource): Promise<ReviewRow | undefined> {
    const p = new SqlParams();
    return sqlOne<ReviewRow>(db, `${REVIEW_SELECT} WHERE r.id = ${p.add(id)}::uuid AND ${visibleToSql(viewer, p)}`, p.values);
  }

  decisions(db: Db, reviewIds: string[]): Promise<(DecisionRow & { review_id: string })[]> {
    if (!reviewIds.length) return Promise.resolve([]);
    return sqlRows(
      db,
      `SELECT d.id, d.review_id, d.decision, d.comment, u.name AS user_name, o.code AS organisation_code, d.created_at
         FROM review_decisions d LEFT JOIN users u ON u.id = d.user_id LEFT JOIN organisations o ON o.id = d.organisation_id
        WHERE d.review_id = ANY($1::uuid[]) ORDER BY d.created_at, d.id`,
      [reviewIds],
    );
  }

  /**
   * Reviews the viewer takes part in: as a coordinator (all), as a member of the owner, or of an
   * assigned reviewer organisation. `assignedToMe`: open reviews waiting for the caller's decision.
   */
  async listReviews(viewer: Viewer, f: { assignedToMe: boolean; status?: string }, limit: number, offset: number): Promise<{ rows: ReviewRow[]; total: number }> {
    const p = new SqlParams();
    const where = [visibleToSql(viewer, p)];
    const orgs = () => `${p.add(viewer.memberOf)}::uuid[]`;
    if (f.assignedToMe) {
      where.push(`r.status = 'open'`);
      if (!viewer.seesAll) where.push(`r.reviewer_org_ids && ${orgs()}`);
    } else if (!viewer.seesAll) {
      const o = orgs();
      where.push(`(e.owner_id = ANY(${o}) OR r.reviewer_org_ids && ${o})`);
    }
    if (f.status) where.push(`r.status = ${p.add(f.status)}`);
    const whereSql = where.join(' AND ');
    const countParams = [...p.values];
    const rows = await sqlRows<ReviewRow>(this.dataSource, `${REVIEW_SELECT} WHERE ${whereSql} ORDER BY r.deadline ASC, r.created_at ASC, r.id ASC LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`, p.values);
    const total = await sqlOne<{ n: number }>(this.dataSource, `SELECT count(*)::int AS n FROM reviews r JOIN catalogue_entries e ON e.id = r.entry_id WHERE ${whereSql}`, countParams);
    return { rows, total: total?.n ?? 0 };
  }
}
