import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWK, SignJWT } from 'jose';
import { UsersService } from '../../src/auth/users.service';
import type { TestApp } from './test-app';

/**
 * A real OpenID Connect key set for tests: an RSA key pair whose public half is served as a JWKS
 * from a local HTTP server, and a signer for tokens. Nothing about verification is mocked.
 */
export interface TestOidc {
  issuer: string;
  audience: string;
  jwksUri: string;
  /** Environment for startTestApp. */
  env: Record<string, string>;
  /** A token signed with the served key (claims and options override the defaults). */
  token(sub: string, claims?: Record<string, unknown>, o?: { issuer?: string; audience?: string; expiresIn?: string | number; kid?: string; foreignKey?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function startOidc(): Promise<TestOidc> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  const server: Server = createServer((req, res) => {
    if (req.url === '/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}/realm`;
  const audience = 'interop-catalogue';
  const jwksUri = `http://127.0.0.1:${port}/jwks`;
  return {
    issuer,
    audience,
    jwksUri,
    env: { OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience, OIDC_JWKS_URI: jwksUri },
    async token(sub, claims = {}, o = {}) {
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'test-key-1', typ: 'JWT' })
        .setSubject(sub)
        .setIssuer(o.issuer ?? issuer)
        .setAudience(o.audience ?? audience)
        .setIssuedAt()
        .setExpirationTime(o.expiresIn ?? '10m')
        .sign(o.foreignKey ? foreign.privateKey : privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface TestUser {
  id: string;
  sub: string;
  /** `Authorization` header value (Bearer token). */
  auth: string;
}

/** Factories for the rows a test needs: organisations, users signed in through OIDC, their roles. */
export class Actors {
  private n = 0;
  constructor(
    private readonly t: TestApp,
    private readonly oidc: TestOidc,
  ) {}

  async org(code: string, name = `Organisation ${code}`): Promise<string> {
    const res = await this.t.http.post('/api/v1/organisations').set('authorization', this.t.admin).send({ code, name });
    if (res.status !== 201) throw new Error(`creating ${code}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.code;
  }

  /** A user who has signed in once, with the given organisation roles and global role. */
  async user(label: string, o: { orgs?: Record<string, 'viewer' | 'editor' | 'admin'>; globalRole?: 'admin' | 'coordinator' } = {}): Promise<TestUser> {
    const sub = `${label}-${++this.n}`;
    const token = await this.oidc.token(sub, { name: `User ${label}`, email: `${label}.${this.n}@example.gov` }, { expiresIn: '2h' });
    const me = await this.t.http.get('/api/v1/me').set('authorization', `Bearer ${token}`);
    if (me.status !== 200) throw new Error(`signing in ${label}: ${me.status} ${JSON.stringify(me.body)}`);
    for (const [code, role] of Object.entries(o.orgs ?? {})) {
      const res = await this.t.http.post(`/api/v1/organisations/${code}/members`).set('authorization', this.t.admin).send({ user: me.body.id, role });
      if (res.status !== 201) throw new Error(`granting ${role} of ${code}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    if (o.globalRole) await this.t.app.get(UsersService).grant({ subject: sub, role: o.globalRole });
    return { id: me.body.id, sub, auth: `Bearer ${token}` };
  }
}
