import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { ApiKeysService } from './api-keys.service';
import { OidcVerifier } from './oidc.verifier';
import type { Principal } from './principal';
import { UsersRepository } from './users.repository';

export const CREDENTIALS_STRATEGY = 'credentials';

/** Result of reading the Authorization header: no credentials, a principal, or a refusal with a reason. */
export type Authentication = { principal?: Principal; failure?: string };

/**
 * `Authorization: Bearer <JWT>` (OpenID Connect; the first request of a new subject creates the user)
 * or `Authorization: ApiKey <key>`. Requests without an Authorization header pass as anonymous; a
 * header that is present but wrong is refused (401), never silently ignored.
 */
@Injectable()
export class CredentialsStrategy extends PassportStrategy(Strategy, CREDENTIALS_STRATEGY) {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly oidc: OidcVerifier,
    private readonly users: UsersRepository,
  ) {
    super();
  }

  async validate(request: FastifyRequest): Promise<Authentication> {
    const header = request.headers.authorization;
    if (header === undefined) return {};
    const apiKey = /^ApiKey\s+(\S+)\s*$/i.exec(header);
    if (apiKey) {
      const principal = await this.apiKeys.authenticate(apiKey[1]);
      return principal ? { principal } : { failure: 'The API key is unknown, revoked or expired' };
    }
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (bearer) {
      const { identity, failure } = await this.oidc.verify(bearer[1]);
      if (!identity) return { failure };
      const user = await this.users.upsertBySubject(identity.subject, identity.name, identity.email);
      return { principal: await this.users.principalOf(user!, 'oidc') };
    }
    return { failure: 'Authorization must be "Bearer <token>" or "ApiKey <key>"' };
  }
}
