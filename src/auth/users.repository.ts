import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Db, sqlOne, sqlRows } from '../database/sql';
import type { Membership, Principal } from './principal';
import type { GlobalRole, OrganisationRole, UserKind } from './user.entity';

export interface UserRow {
  id: string;
  kind: UserKind;
  subject: string | null;
  name: string;
  email: string | null;
  global_role: GlobalRole | null;
  created_at: Date;
  last_seen_at: Date | null;
}

export interface MemberRow {
  user_id: string;
  name: string;
  email: string | null;
  kind: UserKind;
  role: OrganisationRole;
  created_at: Date;
}

/** How fresh "last seen" and "last used" times are kept: a user or key is recorded again only after this long. */
export const SEEN_RESOLUTION = `interval '1 minute'`;

/** All SQL on users and memberships. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The user with this OpenID Connect subject, created on first sight; name and email follow the claims.
   * A user whose row already says all that, and was seen within the last minute, is only read: a
   * signed-in read is no write (no commit per request, and kept search answers stay valid).
   */
  async upsertBySubject(subject: string, name: string, email: string | null): Promise<UserRow | undefined> {
    const known = await sqlOne<UserRow>(
      this.dataSource,
      `SELECT * FROM users WHERE subject = $1 AND name = $2 AND email IS NOT DISTINCT FROM coalesce($3, email) AND last_seen_at > now() - ${SEEN_RESOLUTION}`,
      [subject, name, email],
    );
    if (known) return known;
    return sqlOne<UserRow>(
      this.dataSource,
      `INSERT INTO users (kind, subject, name, email, last_seen_at) VALUES ('user', $1, $2, $3, now())
       ON CONFLICT (subject) WHERE subject IS NOT NULL
       DO UPDATE SET name = EXCLUDED.name, email = coalesce(EXCLUDED.email, users.email), last_seen_at = now()
       RETURNING *`,
      [subject, name, email],
    );
  }

  findById(id: string, db: Db = this.dataSource): Promise<UserRow | undefined> {
    return sqlOne<UserRow>(db, `SELECT * FROM users WHERE id = $1`, [id]);
  }

  findBySubject(db: Db, subject: string): Promise<UserRow | undefined> {
    return sqlOne<UserRow>(db, `SELECT * FROM users WHERE subject = $1`, [subject]);
  }

  /** Users with this e-mail address (case-insensitive); more than one is ambiguous for the caller to report. */
  findByEmail(db: Db, email: string): Promise<UserRow[]> {
    return sqlRows<UserRow>(db, `SELECT * FROM users WHERE lower(email) = lower($1) ORDER BY created_at, id LIMIT 2`, [email]);
  }

  insert(db: Db, u: { kind: UserKind; subject: string | null; name: string; email: string | null; globalRole: GlobalRole | null }): Promise<UserRow | undefined> {
    return sqlOne<UserRow>(db, `INSERT INTO users (kind, subject, name, email, global_role) VALUES ($1, $2, $3, $4, $5) RETURNING *`, [
      u.kind,
      u.subject,
      u.name,
      u.email,
      u.globalRole,
    ]);
  }

  setGlobalRole(db: Db, userId: string, role: GlobalRole | null): Promise<unknown> {
    return sqlRows(db, `UPDATE users SET global_role = $2 WHERE id = $1 RETURNING id`, [userId, role]);
  }

  memberships(userId: string, db: Db = this.dataSource): Promise<Membership[]> {
    return sqlRows<Membership>(
      db,
      `SELECT m.organisation_id AS "organisationId", o.code AS "organisationCode", o.name AS "organisationName", m.role
         FROM memberships m JOIN organisations o ON o.id = m.organisation_id
        WHERE m.user_id = $1 ORDER BY o.code`,
      [userId],
    );
  }

  async principalOf(user: UserRow, via: Principal['via'], apiKeyId?: string, db: Db = this.dataSource): Promise<Principal> {
    return {
      userId: user.id,
      kind: user.kind,
      name: user.name,
      email: user.email,
      globalRole: user.global_role,
      memberships: await this.memberships(user.id, db),
      via,
      apiKeyId,
    };
  }

  members(db: Db, organisationId: string): Promise<MemberRow[]> {
    return sqlRows<MemberRow>(
      db,
      `SELECT m.user_id, u.name, u.email, u.kind, m.role, m.created_at
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.organisation_id = $1 ORDER BY u.name, u.id`,
      [organisationId],
    );
  }

  member(db: Db, organisationId: string, userId: string): Promise<MemberRow | undefined> {
    return sqlOne<MemberRow>(
      db,
      `SELECT m.user_id, u.name, u.email, u.kind, m.role, m.created_at
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.organisation_id = $1 AND m.user_id = $2`,
      [organisationId, userId],
    );
  }

  /** Adds the membership or changes its role. */
  upsertMembership(db: Db, organisationId: string, userId: string, role: OrganisationRole): Promise<unknown> {
    return sqlRows(
      db,
      `INSERT INTO memberships (user_id, organisation_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, organisation_id) DO UPDATE SET role = EXCLUDED.role RETURNING id`,
      [userId, organisationId, role],
    );
  }

  async deleteMembership(db: Db, organisationId: string, userId: string): Promise<boolean> {
    return (await sqlRows(db, `DELETE FROM memberships WHERE organisation_id = $1 AND user_id = $2 RETURNING id`, [organisationId, userId])).length === 1;
  }

  /** Locks the organisation's memberships so two admins cannot both remove the last admin. */
  async adminCountForUpdate(db: Db, organisationId: string): Promise<number> {
    const rows = await sqlRows<{ user_id: string }>(db, `SELECT user_id FROM memberships WHERE organisation_id = $1 AND role = 'admin' FOR UPDATE`, [organisationId]);
    return rows.length;
  }
}
