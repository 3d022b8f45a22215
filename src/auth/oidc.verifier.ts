import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify } from 'jose';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/** Signature algorithms accepted from the provider: asymmetric only (never `none`, never HMAC). */
export const OIDC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface VerifiedIdentity {
  subject: string;
  name: string;
  email: string | null;
}

/**
 * Verifies `Authorization: Bearer` tokens from the OpenID Connect provider: signature against its
 * JWKS (fetched and cached by jose, refetched when an unknown key id appears), issuer, audience,
 * expiry and algorithm.
 */
@Injectable()
export class OidcVerifier {
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.oidcJwksUri) this.jwks = createRemoteJWKSet(new URL(config.oidcJwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  }

  get configured(): boolean {
    return !!(this.jwks && this.config.oidcIssuer && this.config.oidcAudience);
  }

  /** The identity in a valid token, or a reason the token is refused. */
  async verify(token: string): Promise<{ identity?: VerifiedIdentity; failure?: string }> {
    if (!this.configured) return { failure: 'Bearer tokens are not accepted: no OpenID Connect provider is configured (use Authorization: ApiKey <key>)' };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks!, {
        issuer: this.config.oidcIssuer,
        audience: this.config.oidcAudience,
        algorithms: OIDC_ALGORITHMS,
        clockTolerance: 30,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      return { failure: describe(error) };
    }
    if (typeof payload.sub !== 'string' || !payload.sub || payload.sub.length > 255) return { failure: 'The token has no usable subject (sub)' };
    const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 300) : undefined);
    const given = [str(payload.given_name), str(payload.family_name)].filter(Boolean).join(' ');
    const name = str(payload.name) ?? (given || undefined) ?? str(payload.preferred_username) ?? str(payload.email) ?? payload.sub;
    return { identity: { subject: payload.sub, name, email: str(payload.email) ?? null } };
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token was not accepted: ${error.claim} claim check failed (${error.reason})`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The token was not accepted: its signature algorithm is not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token was not accepted: bad signature';
  if (error instanceof errors.JWKSNoMatchingKey) return 'The token was not accepted: no key of the provider matches it';
  if (error instanceof errors.JWKSTimeout || (error instanceof Error && /fetch|ECONNREFUSED|JWKS/i.test(error.message) && !(error instanceof errors.JOSEError))) {
    return 'The token could not be checked: the provider\'s keys are unreachable';
  }
  return 'The token was not accepted: it is malformed or invalid';
}
