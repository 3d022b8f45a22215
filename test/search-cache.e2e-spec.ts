import { AnswerCache, ENTRY_OVERHEAD, heapBytesOfJson } from '../src/search/answer-cache';
import { ConfigError, loadConfig } from '../src/config/app-config';
import { PostgresSearchBackend } from '../src/search/postgres-search.backend';
import { SearchService } from '../src/search/search.service';
import { Actors, startOidc, TestOidc } from './helpers/identity';
import { databaseLabel, onServer, startTestApp, TestApp } from './helpers/test-app';

/**
 * Kept search answers (search/answer-cache.ts): served again only while the database's snapshot is
 * the one they were computed under, so an answer is never stale and never crosses a visibility line.
 */
describe(`kept search answers (${databaseLabel})`, () => {
  let t: TestApp;
  let oidc: TestOidc;
  let actors: Actors;
  beforeAll(async () => {
    oidc = await startOidc();
    t = await startTestApp({ seed: true, env: oidc.env });
    actors = new Actors(t, oidc);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await oidc?.close();
  });

  const search = (query: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const req = t.http.get('/api/v1/search').query(query);
    for (const [k, v] of Object.entries(headers)) req.set(k, v);
    return req;
  };
  const status = (res: { headers: Record<string, string> }) => res.headers['cache-status'];
  const publish = async (kind: 'systems' | 'datasets', code: string) => {
    const res = await t.http.post(`/api/v1/${kind}/${code}/lifecycle`).set('authorization', t.admin).set('if-match', '"1"').send({ status: 'published' });
    expect(res.status).toBe(200);
  };

  it('serves the same request again from the kept answer, with the same body', async () => {
    const first = await search({ q: 'registre', limit: 5 });
    expect(first.status).toBe(200);
    expect(status(first)).toBe('interop-catalogue; fwd=uri-miss');
    const again = await search({ q: 'registre', limit: 5 });
    expect(status(again)).toBe('interop-catalogue; hit');
    expect(again.body).toEqual(first.body);
    // Another page, filter or text is another answer.
    expect(status(await search({ q: 'registre', limit: 5, offset: 5 }))).toBe('interop-catalogue; fwd=uri-miss');
    expect(status(await search({ q: 'registre', limit: 5, kind: 'datasets' }))).toBe('interop-catalogue; fwd=uri-miss');
  });

  it('computes afresh after any write: the new entry is found at once', async () => {
    const before = await search({ q: 'hippopotame' });
    expect(before.body.total).toBe(0);
    expect(status(await search({ q: 'hippopotame' }))).toBe('interop-catalogue; hit');
    const created = await t.http.post('/api/v1/datasets').set('authorization', t.admin).send({ name: 'Registre des hippopotames', owner: 'ANIP' });
    expect(created.status).toBe(201);
    // The draft was a write: the kept answer is not served, and the anonymous answer still hides the draft.
    const draft = await search({ q: 'hippopotame' });
    expect(status(draft)).toBe('interop-catalogue; fwd=stale');
    expect(draft.body.total).toBe(0);
    await publish('datasets', created.body.code);
    const after = await search({ q: 'hippopotame' });
    expect(status(after)).toBe('interop-catalogue; fwd=stale');
    expect(after.body.items.map((i: { code: string }) => i.code)).toEqual([created.body.code]);
    expect(status(await search({ q: 'hippopotame' }))).toBe('interop-catalogue; hit');
  });

  it('never serves one viewer the answer kept for another (drafts stay with their organisation)', async () => {
    await actors.org('CACHEORG', 'Cache test organisation');
    const member = await actors.user('cache-member', { orgs: { CACHEORG: 'editor' } });
    const created = await t.http.post('/api/v1/systems').set('authorization', member.auth).send({ name: 'Rhinocéros confidentiel', owner: 'CACHEORG' });
    expect(created.status).toBe(201);
    // The member asks first, and again (kept); then the public asks the very same thing.
    const mine = await search({ q: 'rhinoceros' }, { authorization: member.auth });
    expect(mine.body.total).toBe(1);
    expect(status(await search({ q: 'rhinoceros' }, { authorization: member.auth }))).toBe('interop-catalogue; hit');
    const anonymous = await search({ q: 'rhinoceros' });
    expect(status(anonymous)).toBe('interop-catalogue; fwd=uri-miss');
    expect(anonymous.body.total).toBe(0);
    expect(anonymous.body.facets.lifecycleStatus.draft).toBeUndefined();
    // Another organisation's member has the public's view of it, never the first member's.
    await actors.org('OTHERORG', 'Other organisation');
    const other = await actors.user('cache-other', { orgs: { OTHERORG: 'admin' } });
    expect((await search({ q: 'rhinoceros' }, { authorization: other.auth })).body.total).toBe(0);
    // A coordinator sees it.
    expect((await search({ q: 'rhinoceros' }, { authorization: t.admin })).body.total).toBe(1);
    // Suggestions are kept the same way.
    const suggest = (auth?: string) => {
      const req = t.http.get('/api/v1/search/suggest').query({ q: 'rhino' });
      return auth ? req.set('authorization', auth) : req;
    };
    expect((await suggest(member.auth)).body.items.map((i: { name: string }) => i.name)).toEqual(['Rhinocéros confidentiel']);
    const memberAgain = await suggest(member.auth);
    expect(status(memberAgain)).toBe('interop-catalogue; hit');
    expect(memberAgain.body.items).toHaveLength(1);
    const publicSuggest = await suggest();
    expect(status(publicSuggest)).toBe('interop-catalogue; fwd=uri-miss');
    expect(publicSuggest.body.items).toEqual([]);
    expect(status(await suggest())).toBe('interop-catalogue; hit');
    // Published: the public's kept (empty) suggestion is not served again.
    await publish('systems', created.body.code);
    const published = await suggest();
    expect(status(published)).toBe('interop-catalogue; fwd=stale');
    expect(published.body.items.map((i: { name: string }) => i.name)).toEqual(['Rhinocéros confidentiel']);
  });

  it('notices writes made outside this application (another replica, psql)', async () => {
    const first = await search({ q: 'crocodile' });
    expect(first.body.total).toBe(0);
    await t.dataSource.query(`UPDATE catalogue_entries SET name = 'Registre des crocodiles' WHERE code = (SELECT min(code) FROM catalogue_entries WHERE lifecycle_status = 'published')`);
    const after = await search({ q: 'crocodile' });
    expect(status(after)).toBe('interop-catalogue; fwd=stale');
    expect(after.body.total).toBe(1);
  });

  (onServer ? it : it.skip)('serves the kept answer while a write is uncommitted, and not once it commits', async () => {
    const first = await search({ q: 'girafe' });
    expect(first.body.total).toBe(0);
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`UPDATE catalogue_entries SET name = 'Registre des girafes' WHERE code = (SELECT max(code) FROM catalogue_entries WHERE lifecycle_status = 'published')`);
      // Uncommitted: invisible, and the snapshot is the same, so the kept answer is exact.
      const during = await search({ q: 'girafe' });
      expect(status(during)).toBe('interop-catalogue; hit');
      expect(during.body.total).toBe(0);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    const after = await search({ q: 'girafe' });
    expect(status(after)).toBe('interop-catalogue; fwd=stale');
    expect(after.body.total).toBe(1);
  });

  it('answers 304 to If-None-Match while the client holds the answer, for each viewer apart, and 200 after a write', async () => {
    const first = await search({ q: 'passeport' });
    expect(first.status).toBe(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers.vary).toMatch(/authorization/i);
    const again = await search({ q: 'passeport' }, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
    expect(again.headers.etag).toBe(etag);
    // Also as a weak tag, in a list, or with no-cache (the check is exact); not for another request or viewer.
    expect((await search({ q: 'passeport' }, { 'if-none-match': `"x", W/${etag}` })).status).toBe(304);
    expect((await search({ q: 'passeport' }, { 'if-none-match': etag, 'cache-control': 'no-cache' })).status).toBe(304);
    expect((await search({ q: 'passeports' }, { 'if-none-match': etag })).status).toBe(200);
    const admin = await search({ q: 'passeport' }, { 'if-none-match': etag, authorization: t.admin });
    expect(admin.status).toBe(200);
    expect(admin.headers.etag).not.toBe(etag);
    // Suggest too.
    const s1 = await t.http.get('/api/v1/search/suggest').query({ q: 'pass' });
    expect((await t.http.get('/api/v1/search/suggest').query({ q: 'pass' }).set('if-none-match', s1.headers.etag)).status).toBe(304);
    // A write: the held answer may be out of date, so it is sent again with a new ETag.
    await t.dataSource.query(`UPDATE organisations SET name = name || ' ' WHERE code = 'ANIP'`);
    const after = await search({ q: 'passeport' }, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.body.total).toBe(first.body.total);
  });

  it('adds Authorization to Vary beside the Origin CORS varies on, and checks a request before If-None-Match', async () => {
    const res = await search({ q: 'registre' }, { origin: 'http://example.org' });
    expect(res.headers['access-control-allow-origin']).toBe('http://example.org');
    expect(res.headers.vary.split(/\s*,\s*/).map((v: string) => v.toLowerCase()).sort()).toEqual(['authorization', 'origin']);
    // A request that is refused stays refused, whatever If-None-Match says (RFC 9110 §13.2.1).
    const bad = await search({ q: 'registre', operationalStatus: 'bogus' }, { 'if-none-match': '*' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    // A 304 to a client that asked for no-cache says so in Cache-Status.
    const held = await search({ q: 'registre' });
    const revalidated = await search({ q: 'registre' }, { 'if-none-match': held.headers.etag, 'cache-control': 'no-cache' });
    expect(revalidated.status).toBe(304);
    expect(status(revalidated)).toBe('interop-catalogue; fwd=request');
  });

  it('refuses a SEARCH_CACHE_MB that is not a plain whole number', () => {
    expect(loadConfig({ SEARCH_CACHE_MB: '8' }).searchCacheMb).toBe(8);
    for (const bad of ['0x10', '1e1', ' 8', '8 ', '1.5', 'abc', '-1', '4097']) {
      expect(() => loadConfig({ SEARCH_CACHE_MB: bad })).toThrow(ConfigError);
    }
  });

  it('computes afresh when the client sends Cache-Control: no-cache', async () => {
    await search({ q: 'budget' });
    expect(status(await search({ q: 'budget' }))).toBe('interop-catalogue; hit');
    const fresh = await search({ q: 'budget' }, { 'cache-control': 'no-cache' });
    expect(status(fresh)).toBe('interop-catalogue; fwd=request');
    expect(status(await search({ q: 'budget' }, { 'cache-control': 'max-age=0, no-cache' }))).toBe('interop-catalogue; fwd=request');
  });

  it('asks the backend once for a repeated request, and again for no-cache', async () => {
    const backend = t.app.get(PostgresSearchBackend);
    const spy = jest.spyOn(backend, 'search');
    try {
      await search({ q: 'douane' });
      await search({ q: 'douane' });
      expect(spy).toHaveBeenCalledTimes(1);
      await search({ q: 'douane' }, { 'cache-control': 'no-cache' });
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('stays within its size, dropping the least recently used answers', () => {
    // Each answer below takes 200 bytes in all: its value, its key and snapshot (2 bytes a character) and the entry.
    const entry = (valueBytes: number) => valueBytes + 2 * (1 + 2) + ENTRY_OVERHEAD;
    const value = 200 - entry(0);
    const cache = new AnswerCache<string>(5 * 200);
    cache.set('a', 's1', 'A', value);
    cache.set('b', 's1', 'B', value);
    cache.set('c', 's1', 'C', value);
    expect(cache.get('a', 's1')).toBe('A'); // a is now the most recently used
    cache.set('d', 's1', 'D', value);
    cache.set('e', 's1', 'E', value); // 1,000 bytes: all fit
    expect(cache.size).toEqual({ answers: 5, bytes: 1000 });
    cache.set('f', 's1', 'F', value); // b, the least recently used, goes
    expect(cache.get('b', 's1')).toBeUndefined();
    expect(cache.get('a', 's1')).toBe('A');
    expect(cache.size).toEqual({ answers: 5, bytes: 1000 });
    // Another snapshot: not served; a replacement takes the old one's place and size.
    expect(cache.get('a', 's2')).toBeUndefined();
    cache.set('a', 's2', 'A2', value - 100);
    expect(cache.get('a', 's2')).toBe('A2');
    expect(cache.size).toEqual({ answers: 5, bytes: 900 });
    // An answer larger than a quarter of the whole is not kept.
    cache.set('big', 's2', 'BIG', 300);
    expect(cache.snapshotOf('big')).toBeUndefined();
  });

  it('counts keys and entries too: many tiny answers with long texts stay within the size', () => {
    const cache = new AnswerCache<object>(100_000);
    const snapshot = '1234567:1234570:1234568';
    for (let i = 0; i < 5_000; i++) cache.set(JSON.stringify(['suggest', `${'é'.repeat(190)}${i}`, 10, 'm:;a:']), snapshot, { items: [] }, heapBytesOfJson(12));
    expect(cache.size.bytes).toBeLessThanOrEqual(100_000);
    expect(cache.size.answers).toBeLessThan(150);
  });
});

describe(`search answers not kept (${databaseLabel})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { SEARCH_CACHE_MB: '0' } });
  }, 180_000);
  afterAll(async () => t?.close());

  it('says bypass and computes every answer when SEARCH_CACHE_MB=0, and still answers If-None-Match', async () => {
    expect(t.app.get(SearchService).answers.enabled).toBe(false);
    for (let i = 0; i < 2; i++) {
      const res = await t.http.get('/api/v1/search').query({ q: 'registre' });
      expect(res.status).toBe(200);
      expect(res.headers['cache-status']).toBe('interop-catalogue; fwd=bypass');
    }
    const held = await t.http.get('/api/v1/search').query({ q: 'registre' });
    const revalidated = await t.http.get('/api/v1/search').query({ q: 'registre' }).set('if-none-match', held.headers.etag);
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers['cache-status']).toBe('interop-catalogue; fwd=bypass');
  });
});
