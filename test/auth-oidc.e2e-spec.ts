import { createHmac } from 'node:crypto';
import { Actors, startOidc, TestOidc } from './helpers/identity';
import { databaseLabel, startTestApp, TestApp } from './helpers/test-app';
import { expectProblem } from './problem-expect';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe(`identity: OpenID Connect tokens and API keys (${databaseLabel})`, () => {
  let oidc: TestOidc;
  let t: TestApp;
  let actors: Actors;
  beforeAll(async () => {
    oidc = await startOidc();
    t = await startTestApp({ env: oidc.env });
    actors = new Actors(t, oidc);
    await actors.org('AUTHORG', 'Authentication Agency');
  });
  afterAll(async () => {
    await t?.close();
    await oidc?.close();
  });

  const me = (auth: string) => t.http.get('/api/v1/me').set('authorization', auth);

  it('creates the user on the first request of a new subject, from the name and email claims, and finds them again after', async () => {
    const token = await oidc.token('sub-first', { name: 'Mari Maasikas', email: 'mari@example.gov' });
    const first = await me(`Bearer ${token}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ kind: 'user', name: 'Mari Maasikas', email: 'mari@example.gov', globalRole: null, memberships: [], authenticatedBy: 'oidc' });
    const again = await me(`Bearer ${await oidc.token('sub-first', { name: 'Mari Maasikas-Tamm', email: 'mari@example.gov' })}`);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.name).toBe('Mari Maasikas-Tamm');
  });

  it('records last use to the minute: repeated signed-in reads write nothing, claims that changed are written at once', async () => {
    const { sqlOne } = await import('../src/database/sql');
    const snapshot = async () => (await sqlOne<{ s: string }>(t.dataSource, `SELECT pg_current_snapshot()::text AS s`))!.s;
    const seen = async (sub: string) => (await sqlOne<{ at: Date; name: string }>(t.dataSource, `SELECT last_seen_at AS at, name FROM users WHERE subject = $1`, [sub]))!;
    const token = await oidc.token('sub-seen', { name: 'Jaan Tamm', email: 'jaan@example.gov' });
    expect((await me(`Bearer ${token}`)).status).toBe(200);
    const key = await t.http.post('/api/v1/api-keys').set('authorization', `Bearer ${token}`).send({ name: 'ci' });
    expect(key.status).toBe(201);
    expect((await me(`ApiKey ${key.body.key}`)).status).toBe(200);
    const keyUsed = async () => (await sqlOne<{ at: Date | null }>(t.dataSource, `SELECT last_used_at AS at FROM api_keys WHERE id = $1`, [key.body.id]))!.at;
    const first = await seen('sub-seen');
    const firstKeyUse = await keyUsed();
    expect(firstKeyUse).not.toBeNull();
    // Within the minute: no transaction commits, so the database's snapshot does not move.
    const before = await snapshot();
    for (let i = 0; i < 3; i++) {
      expect((await me(`Bearer ${token}`)).status).toBe(200);
      expect((await me(`ApiKey ${key.body.key}`)).status).toBe(200);
    }
    expect(await snapshot()).toBe(before);
    expect((await seen('sub-seen')).at).toEqual(first.at);
    expect(await keyUsed()).toEqual(firstKeyUse);
    // A new name in the token is written at once.
    expect((await me(`Bearer ${await oidc.token('sub-seen', { name: 'Jaan Tamm-Kask', email: 'jaan@example.gov' })}`)).body.name).toBe('Jaan Tamm-Kask');
    expect((await seen('sub-seen')).name).toBe('Jaan Tamm-Kask');
    // A minute later, the next use is recorded again.
    await t.dataSource.query(`UPDATE users SET last_seen_at = now() - interval '2 minutes' WHERE subject = 'sub-seen'`);
    await t.dataSource.query(`UPDATE api_keys SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [key.body.id]);
    const stale = await keyUsed();
    expect((await me(`Bearer ${token}`)).status).toBe(200);
    expect((await me(`ApiKey ${key.body.key}`)).status).toBe(200);
    expect((await seen('sub-seen')).at.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect((await keyUsed())!.getTime()).toBeGreaterThan(stale!.getTime());
  });

  it('shows memberships and roles on /me', async () => {
    const u = await actors.user('member', { orgs: { AUTHORG: 'editor' }, globalRole: 'coordinator' });
    const res = await me(u.auth);
    expect(res.body.globalRole).toBe('coordinator');
    expect(res.body.memberships).toEqual([{ organisation: { code: 'AUTHORG', name: 'Authentication Agency' }, role: 'editor' }]);
  });

  it('answers 401 to /me without credentials', async () => {
    expectProblem(await t.http.get('/api/v1/me'), 401, 'UNAUTHENTICATED');
  });

  describe('refuses bad tokens with 401 and creates no user', () => {
    const cases: [string, () => Promise<string>][] = [
      ['a bad signature', () => oidc.token('sub-bad-sig', {}, { foreignKey: true })],
      ['a wrong issuer', () => oidc.token('sub-bad-iss', {}, { issuer: 'https://evil.example.org/realm' })],
      ['a wrong audience', () => oidc.token('sub-bad-aud', {}, { audience: 'someone-else' })],
      ['an expired token', () => oidc.token('sub-expired', {}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 })],
      ['an unknown key id', () => oidc.token('sub-bad-kid', {}, { kid: 'not-a-key' })],
      ['alg: none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'sub-none', iss: oidc.issuer, aud: oidc.audience, exp: Math.floor(Date.now() / 1000) + 600 })}.`],
      [
        'alg: HS256 signed with the public key material',
        async () => {
          const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'test-key-1' })}.${b64({ sub: 'sub-hs', iss: oidc.issuer, aud: oidc.audience, exp: Math.floor(Date.now() / 1000) + 600 })}`;
          return `${head}.${createHmac('sha256', 'secret').update(head).digest('base64url')}`;
        },
      ],
      ['garbage', async () => 'not.a.jwt'],
    ];
    it.each(cases)('%s', async (_label, make) => {
      const token = await make();
      expectProblem(await me(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
      // A refused token is refused on public reads too, not silently treated as anonymous.
      expectProblem(await t.http.get('/api/v1/systems').set('authorization', `Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    it('created no user for any refused subject', async () => {
      const members = await t.http.get('/api/v1/api-keys').set('authorization', t.admin);
      expect(members.status).toBe(200);
      const { sqlRows } = await import('../src/database/sql');
      const rows = await sqlRows<{ subject: string }>(t.dataSource, `SELECT subject FROM users WHERE subject LIKE 'sub-bad%' OR subject IN ('sub-none', 'sub-hs', 'sub-expired')`);
      expect(rows).toEqual([]);
    });
  });

  describe('API keys of users', () => {
    it('a signed-in user creates a key shown once; it acts as the user, records its last use, and stops working when revoked', async () => {
      const u = await actors.user('keyowner', { orgs: { AUTHORG: 'viewer' } });
      const created = await t.http.post('/api/v1/api-keys').set('authorization', u.auth).send({ name: 'my laptop' });
      expect(created.status).toBe(201);
      expect(created.body.key).toMatch(/^icat_/);
      expect(created.body.user.id).toBe(u.id);
      const viaKey = await me(`ApiKey ${created.body.key}`);
      expect(viaKey.status).toBe(200);
      expect(viaKey.body).toMatchObject({ id: u.id, authenticatedBy: 'api_key', memberships: [{ organisation: { code: 'AUTHORG' }, role: 'viewer' }] });
      const list = await t.http.get('/api/v1/api-keys').set('authorization', u.auth);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0].key).toBeUndefined();
      expect(list.body.items[0].lastUsedAt).not.toBeNull();
      const revoked = await t.http.delete(`/api/v1/api-keys/${created.body.id}`).set('authorization', u.auth);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).not.toBeNull();
      expectProblem(await me(`ApiKey ${created.body.key}`), 401, 'UNAUTHENTICATED');
    });

    it('a key cannot mint keys, a user cannot revoke someone else\'s key, and expiry must be in the future', async () => {
      const a = await actors.user('keya');
      const b = await actors.user('keyb');
      const key = (await t.http.post('/api/v1/api-keys').set('authorization', a.auth).send({ name: 'a' })).body;
      expectProblem(await t.http.post('/api/v1/api-keys').set('authorization', `ApiKey ${key.key}`).send({ name: 'b' }), 403, 'API_KEY_CANNOT_CREATE_KEYS');
      expectProblem(await t.http.delete(`/api/v1/api-keys/${key.id}`).set('authorization', b.auth), 404, 'API_KEY_NOT_FOUND');
      const unknown = expectProblem(await t.http.delete('/api/v1/api-keys/2fb31afa-2019-4ae7-96f1-a7df5829d2bd').set('authorization', a.auth), 404, 'API_KEY_NOT_FOUND');
      expect(unknown.type).toMatch(/\/problems\/api-key-not-found$/);
      // Found by a new-user check: Nest's generic "Validation failed (uuid is expected)".
      const malformed = expectProblem(await t.http.delete('/api/v1/api-keys/zzz').set('authorization', a.auth), 400, 'VALIDATION_FAILED');
      expect(malformed.errors).toEqual([{ field: 'id', message: expect.stringMatching(/^id must be the id of an API key, as POST \/api-keys gave it \(a UUID\)/) }]);
      expectProblem(await t.http.post('/api/v1/api-keys').set('authorization', a.auth).send({ name: 'old', expiresAt: '2001-01-01T00:00:00Z' }), 400, 'API_KEY_EXPIRY_INVALID');
      expect((await me(`ApiKey ${key.key}`)).status).toBe(200);
    });

    it('an expired key is refused', async () => {
      const u = await actors.user('expiring');
      const key = (await t.http.post('/api/v1/api-keys').set('authorization', u.auth).send({ name: 'soon', expiresAt: new Date(Date.now() + 1500).toISOString() })).body;
      expect((await me(`ApiKey ${key.key}`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1700));
      expectProblem(await me(`ApiKey ${key.key}`), 401, 'UNAUTHENTICATED');
    });

    it('the global service-account keys of the CLI keep working with their role', async () => {
      const res = await me(t.admin);
      expect(res.body).toMatchObject({ kind: 'service', globalRole: 'admin', authenticatedBy: 'api_key' });
      expect((await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ name: 'Made by the service key' })).status).toBe(201);
    });
  });

  describe('members', () => {
    it('organisation admins manage members; editors and outsiders cannot; the last admin stays', async () => {
      await actors.org('MEMBERS');
      const admin = await actors.user('madmin', { orgs: { MEMBERS: 'admin' } });
      const editor = await actors.user('meditor', { orgs: { MEMBERS: 'editor' } });
      const outsider = await actors.user('moutsider', { orgs: { AUTHORG: 'admin' } });
      const newcomer = await actors.user('newcomer');
      const add = (auth: string, body: object) => t.http.post('/api/v1/organisations/MEMBERS/members').set('authorization', auth).send(body);
      expectProblem(await add(editor.auth, { user: newcomer.id, role: 'viewer' }), 403, 'FORBIDDEN');
      expectProblem(await add(outsider.auth, { user: newcomer.id, role: 'viewer' }), 403, 'FORBIDDEN');
      expectProblem(await t.http.post('/api/v1/organisations/MEMBERS/members').send({ user: newcomer.id, role: 'viewer' }), 401, 'UNAUTHENTICATED');
      const added = await add(admin.auth, { user: newcomer.id, role: 'viewer' });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ userId: newcomer.id, role: 'viewer' });
      expect((await me(newcomer.auth)).body.memberships).toEqual([{ organisation: { code: 'MEMBERS', name: 'Organisation MEMBERS' }, role: 'viewer' }]);
      const list = await t.http.get('/api/v1/organisations/MEMBERS/members').set('authorization', newcomer.auth);
      expect(list.body.items.map((m: { userId: string }) => m.userId).sort()).toEqual([admin.id, editor.id, newcomer.id].sort());
      expectProblem(await t.http.get('/api/v1/organisations/MEMBERS/members').set('authorization', outsider.auth), 403);
      expectProblem(await t.http.patch(`/api/v1/organisations/MEMBERS/members/${admin.id}`).set('authorization', admin.auth).send({ role: 'editor' }), 409, 'LAST_ADMIN');
      expect((await t.http.patch(`/api/v1/organisations/MEMBERS/members/${editor.id}`).set('authorization', admin.auth).send({ role: 'admin' })).status).toBe(200);
      expect((await t.http.delete(`/api/v1/organisations/MEMBERS/members/${newcomer.id}`).set('authorization', admin.auth)).status).toBe(204);
      expect((await me(newcomer.auth)).body.memberships).toEqual([]);
    });
  });
});
