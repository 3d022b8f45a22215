import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { ApiKeyEntity, GLOBAL_ROLES, GlobalRole } from './api-key.entity';
import type { Principal } from './principal';
import { sqlOne } from '../database/sql';

export interface CreatedApiKey {
  id: string;
  name: string;
  role: GlobalRole;
  /** The key itself: shown once, never stored. */
  key: string;
  expiresAt: Date | null;
}

const KEY_PREFIX = 'icat_';

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

@Injectable()
export class ApiKeysService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(name: string, role: string, expiresAt?: Date): Promise<CreatedApiKey> {
    if (!name || !name.trim() || name.length > 200) throw DomainError.badRequest('API_KEY_NAME_INVALID', 'An API key needs a name of 1–200 characters');
    if (!GLOBAL_ROLES.includes(role as GlobalRole)) {
      throw DomainError.badRequest('API_KEY_ROLE_INVALID', `role must be one of ${GLOBAL_ROLES.join(', ')}`);
    }
    if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now())) {
      throw DomainError.badRequest('API_KEY_EXPIRY_INVALID', 'expiry must be a date in the future');
    }
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    const repo = this.dataSource.getRepository(ApiKeyEntity);
    const saved = await repo.save(
      repo.create({ name: name.trim(), role: role as GlobalRole, prefix: key.slice(0, 12), keyHash: hashKey(key), expiresAt: expiresAt ?? null }),
    );
    return { id: saved.id, name: saved.name, role: saved.role, key, expiresAt: saved.expiresAt };
  }

  list(): Promise<ApiKeyEntity[]> {
    return this.dataSource.getRepository(ApiKeyEntity).find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async revoke(idOrPrefix: string): Promise<ApiKeyEntity> {
    const repo = this.dataSource.getRepository(ApiKeyEntity);
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrPrefix);
    const key = await repo.findOne({ where: isUuid ? { id: idOrPrefix } : { prefix: idOrPrefix, revokedAt: IsNull() } });
    if (!key) throw DomainError.notFound('api key', idOrPrefix);
    key.revokedAt = key.revokedAt ?? new Date();
    return repo.save(key);
  }

  /** Resolves a presented key; undefined when unknown, revoked or expired. Records the last use. */
  async authenticate(key: string): Promise<Principal | undefined> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 200) return undefined;
    const row = await sqlOne<{ id: string; name: string; role: GlobalRole }>(
      this.dataSource,
      `UPDATE api_keys SET last_used_at = now()
        WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
        RETURNING id, name, role`,
      [hashKey(key)],
    );
    return row ? { type: 'api_key', id: row.id, name: row.name, role: row.role } : undefined;
  }
}
