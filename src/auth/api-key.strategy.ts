import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { ApiKeysService } from './api-keys.service';
import type { Principal } from './principal';

export const API_KEY_STRATEGY = 'api-key';

/** Result of reading the Authorization header: no credentials, a principal, or a refusal with a reason. */
export type Authentication = { principal?: Principal; failure?: string };

/**
 * `Authorization: ApiKey <key>`. Requests without an Authorization header pass as anonymous;
 * a header that is present but wrong is refused (401), never silently ignored.
 */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, API_KEY_STRATEGY) {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  async validate(request: FastifyRequest): Promise<Authentication> {
    const header = request.headers.authorization;
    if (header === undefined) return {};
    const m = /^ApiKey\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      return { failure: /^Bearer\s/i.test(header) ? 'Bearer tokens are not accepted yet: use Authorization: ApiKey <key>' : 'Authorization must be "ApiKey <key>"' };
    }
    const principal = await this.apiKeys.authenticate(m[1]);
    return principal ? { principal } : { failure: 'The API key is unknown, revoked or expired' };
  }
}
