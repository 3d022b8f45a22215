import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { sqlOne, sqlRows } from '../database/sql';
import type { Principal, Viewer } from './principal';
import { GLOBAL_ROLES, GlobalRole } from './user.entity';
import { SEEN_RESOLUTION, UsersRepository } from './users.repository';

export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  /** The user or service account the key acts as. */
  user: { id: string; name: string; kind: string };
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface CreatedApiKey extends ApiKeyInfo {
  /** The key itself: shown once, never stored. */
  key: string;
}

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  user_id: string;
  user_name: string;
  user_kind: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const KEY_PREFIX = 'icat_';
const KEY_SELECT = `SELECT k.id, k.name, k.prefix, k.user_id, u.name AS user_name, u.kind AS user_kind, k.created_at, k.expires_at, k.revoked_at, k.last_used_at
  FROM api_keys k JOIN users u ON u.id = k.user_id`;

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function info(r: KeyRow): ApiKeyInfo {
  const d = (v: Date | string | null) => (v === null ? null : new Date(v));
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    user: { id: r.user_id, name: r.user_name, kind: r.user_kind },
    createdAt: new Date(r.created_at),
    expiresAt: d(r.expires_at),
    revokedAt: d(r.revoked_at),
    lastUsedAt: d(r.last_used_at),
  };
}

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/**
 * API keys of users and service accounts. A key acts as its user: same global role, same
 * memberships, read at every request (so a role taken away applies to the user's keys at once).
 */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
  ) {}

  /** CLI: a new service account with a global role, and a key for it. */
  async createServiceKey(name: string, role: string, expiresAt?: Date): Promise<CreatedApiKey> {
    if (!GLOBAL_ROLES.includes(role as GlobalRole)) {
      throw DomainError.badRequest('API_KEY_ROLE_INVALID', `role must be one of ${GLOBAL_ROLES.join(', ')}`);
    }
    this.checkName(name);
    const user = await this.users.insert(this.dataSource, { kind: 'service', subject: null, name: name.trim(), email: null, globalRole: role as GlobalRole });
    return this.insertKey(user!.id, name, expiresAt);
  }

  /**
   * CLI: a key for an existing person (found by the caller), so that organisation roles can be used
   * without an OpenID Connect provider. Service accounts get theirs from createServiceKey.
   */
  async createUserKey(user: { id: string; kind: string }, name: string, expiresAt?: Date): Promise<CreatedApiKey> {
    if (user.kind !== 'user') throw DomainError.badRequest('API_KEY_USER_INVALID', 'Keys of service accounts are created with the account (--role)');
    return this.insertKey(user.id, name, expiresAt);
  }

  /**
   * A key for the caller, or (global admins) for another user or service account. Keys cannot be
   * made with an API key, so a leaked key cannot mint more.
   */
  async createFor(viewer: Viewer, body: { name: string; expiresAt?: string; user?: string }): Promise<CreatedApiKey> {
    const me = this.signedIn(viewer);
    if (me.via === 'api_key') throw new DomainError(HttpStatus.FORBIDDEN, 'API_KEY_CANNOT_CREATE_KEYS', 'API keys are created after signing in (Bearer token), not with another API key');
    let userId = me.userId;
    if (body.user && body.user !== me.userId) {
      if (me.globalRole !== 'admin') throw new DomainError(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'Only admins create keys for other users');
      if (!isUuid(body.user) || !(await this.users.findById(body.user))) throw DomainError.notFound('user', body.user);
      userId = body.user;
    }
    let expiresAt: Date | undefined;
    if (body.expiresAt !== undefined) expiresAt = new Date(body.expiresAt);
    return this.insertKey(userId, body.name, expiresAt);
  }

  /** Keys of the caller; global admins see every key (optionally of one user). */
  async list(viewer: Viewer | undefined, userId?: string): Promise<ApiKeyInfo[]> {
    const params: unknown[] = [];
    let where = 'TRUE';
    if (viewer) {
      const me = this.signedIn(viewer);
      if (me.globalRole !== 'admin') userId = me.userId;
    }
    if (userId) {
      params.push(userId);
      where = `k.user_id = $1`;
    }
    const rows = await sqlRows<KeyRow>(this.dataSource, `${KEY_SELECT} WHERE ${where} ORDER BY k.created_at, k.id`, params);
    return rows.map(info);
  }

  /** Revokes a key (the caller's own, or any key for a global admin; the CLI passes no viewer). */
  async revoke(idOrPrefix: string, viewer?: Viewer): Promise<ApiKeyInfo> {
    const me = viewer ? this.signedIn(viewer) : undefined;
    const params: unknown[] = [idOrPrefix];
    let match = isUuid(idOrPrefix) ? 'k.id = $1' : 'k.prefix = $1';
    if (me && me.globalRole !== 'admin') {
      params.push(me.userId);
      match += ' AND k.user_id = $2';
    }
    const row = await sqlOne<{ id: string }>(this.dataSource, `SELECT k.id FROM api_keys k WHERE ${match} ORDER BY k.revoked_at NULLS FIRST LIMIT 1`, params);
    if (!row) throw DomainError.notFound('api key', idOrPrefix.slice(0, 100));
    await sqlRows(this.dataSource, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id`, [row.id]);
    return info((await sqlOne<KeyRow>(this.dataSource, `${KEY_SELECT} WHERE k.id = $1`, [row.id]))!);
  }

  /** Resolves a presented key to its user; undefined when unknown, revoked or expired. Records the last use. */
  async authenticate(key: string): Promise<Principal | undefined> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 200) return undefined;
    // The last use is recorded to the minute: most requests only read (no commit per request, and
    // kept search answers stay valid for the key's holder).
    const row = await sqlOne<{ id: string; user_id: string }>(
      this.dataSource,
      `WITH k AS (
         SELECT id, user_id, last_used_at FROM api_keys
          WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())),
       used AS (
         UPDATE api_keys a SET last_used_at = now() FROM k
          WHERE a.id = k.id AND (k.last_used_at IS NULL OR k.last_used_at <= now() - ${SEEN_RESOLUTION}) RETURNING a.id)
       SELECT id, user_id FROM k`,
      [hashKey(key)],
    );
    if (!row) return undefined;
    const user = await this.users.findById(row.user_id);
    return user ? this.users.principalOf(user, 'api_key', row.id) : undefined;
  }

  private signedIn(viewer: Viewer): Principal {
    if (!viewer.principal) throw new DomainError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'Sign in first (Authorization: Bearer <token>)');
    return viewer.principal;
  }

  private checkName(name: string): void {
    if (typeof name !== 'string' || !name.trim() || name.length > 200) throw DomainError.badRequest('API_KEY_NAME_INVALID', 'An API key needs a name of 1–200 characters');
  }

  private async insertKey(userId: string, name: string, expiresAt?: Date): Promise<CreatedApiKey> {
    this.checkName(name);
    if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now())) {
      throw DomainError.badRequest('API_KEY_EXPIRY_INVALID', 'expiry must be a date in the future');
    }
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    const row = await sqlOne<{ id: string }>(
      this.dataSource,
      `INSERT INTO api_keys (name, prefix, key_hash, user_id, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [name.trim(), key.slice(0, 12), hashKey(key), userId, expiresAt ?? null],
    );
    const saved = await sqlOne<KeyRow>(this.dataSource, `${KEY_SELECT} WHERE k.id = $1`, [row!.id]);
    return { ...info(saved!), key };
  }
}
