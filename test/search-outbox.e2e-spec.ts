import { Client } from 'pg';
import { sqlRows } from '../src/database/sql';
import { OUTBOX_LOCK_KEY } from '../src/search/search-documents';
import { outboxBackoffMs, SearchOutboxWorker } from '../src/search/search-outbox.worker';
import { databaseLabel, onServer, startTestApp, TestApp } from './helpers/test-app';

/**
 * The outbox with Meilisearch configured but unreachable (nothing listens on port 1): writes must
 * still succeed, each with its outbox row in the same transaction, and the worker must count failed
 * attempts and back off. No Meilisearch server is faked.
 */
describe(`search outbox with Meilisearch unreachable (${databaseLabel})`, () => {
  let t: TestApp;
  const outbox = () => sqlRows<{ entry_id: string; attempts: number; due_in_ms: number; last_error: string | null }>(
    t.dataSource,
    `SELECT entry_id, attempts, (extract(epoch FROM next_attempt_at - now()) * 1000)::float8 AS due_in_ms, last_error FROM search_outbox ORDER BY id`,
  );

  beforeAll(async () => {
    t = await startTestApp({ env: { SEARCH_BACKEND: 'meilisearch', MEILI_URL: 'http://127.0.0.1:1', SEARCH_OUTBOX_WORKER: 'off' } });
    const org = await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'OUTBOX', name: 'Outbox agency' });
    expect(org.status).toBe(201);
  });
  afterAll(async () => t?.close());

  it('accepts writes and records one outbox row per change, in the same transaction', async () => {
    const created = await t.http.post('/api/v1/systems').set('authorization', t.admin).send({ name: 'Outbox system', owner: 'OUTBOX' });
    expect(created.status).toBe(201);
    const patched = await t.http.patch(`/api/v1/systems/${created.body.code}`).set('authorization', t.admin).set('if-match', '"1"').set('content-type', 'application/merge-patch+json').send({ description: 'changed' });
    expect(patched.status).toBe(200);
    const moved = await t.http.post(`/api/v1/systems/${created.body.code}/lifecycle`).set('authorization', t.admin).set('if-match', '"2"').send({ status: 'in_review' });
    expect(moved.status).toBe(200);
    // A write that fails leaves no row: the outbox row is part of its transaction.
    const invalid = await t.http.patch(`/api/v1/systems/${created.body.code}`).set('authorization', t.admin).set('if-match', '"3"').set('content-type', 'application/merge-patch+json').send({ name: '' });
    expect(invalid.status).toBe(400);
    const stale = await t.http.patch(`/api/v1/systems/${created.body.code}`).set('authorization', t.admin).set('if-match', '"1"').set('content-type', 'application/merge-patch+json').send({ description: 'late' });
    expect(stale.status).toBe(412);
    const draft = await t.http.post('/api/v1/datasets').set('authorization', t.admin).send({ name: 'Short-lived draft', owner: 'OUTBOX' });
    const deleted = await t.http.delete(`/api/v1/datasets/${draft.body.code}`).set('authorization', t.admin).set('if-match', '"1"');
    expect(deleted.status).toBe(204);
    const rows = await outbox();
    expect(rows.map((r) => r.entry_id)).toEqual([created.body.id, created.body.id, created.body.id, draft.body.id, draft.body.id]);
    expect(rows.every((r) => r.attempts === 0)).toBe(true);
  });

  it('keeps rows pending with attempts counted and backs off while Meilisearch is down', async () => {
    const worker = t.app.get(SearchOutboxWorker);
    const first = await worker.runOnce();
    expect(first).toMatchObject({ ran: true, pushed: 0, failed: 5 });
    let rows = await outbox();
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.attempts === 1 && r.due_in_ms > 500 && r.last_error)).toBe(true);
    // Not due yet: a second pass touches nothing.
    expect(await worker.runOnce()).toMatchObject({ ran: true, pushed: 0, failed: 0 });
    await sqlRows(t.dataSource, `UPDATE search_outbox SET next_attempt_at = now()`);
    expect(await worker.runOnce()).toMatchObject({ failed: 5 });
    rows = await outbox();
    expect(rows.every((r) => r.attempts === 2 && r.due_in_ms > 1000)).toBe(true);
  });

  it('answers searches with 503 SEARCH_UNAVAILABLE, not 500, while Meilisearch is down', async () => {
    const res = await t.http.get('/api/v1/search').query({ q: 'outbox' });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('SEARCH_UNAVAILABLE');
    // Found by a new-user check: the detail named the search server's address (http://127.0.0.1:1/multi-search) to anyone.
    expect(res.body.detail).not.toMatch(/127\.0\.0\.1|http|multi-search/);
    const suggest = await t.http.get('/api/v1/search/suggest').query({ q: 'out' });
    expect(suggest.status).toBe(503);
    expect(suggest.body.detail).not.toMatch(/127\.0\.0\.1|http/);
  });

  (onServer ? it : it.skip)('runs one worker at a time (advisory lock held elsewhere: the pass is skipped)', async () => {
    const other = new Client({ connectionString: t.config.databaseUrl });
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(${OUTBOX_LOCK_KEY})`);
      await sqlRows(t.dataSource, `UPDATE search_outbox SET next_attempt_at = now()`);
      expect(await t.app.get(SearchOutboxWorker).runOnce()).toEqual({ ran: false, pushed: 0, failed: 0 });
      expect((await outbox()).every((r) => r.attempts === 2)).toBe(true);
    } finally {
      await other.end();
    }
  });

  it('queues the entries of an organisation that is renamed: their documents carry its name', async () => {
    const org = await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'RENAME', name: 'Ancien nom' });
    const a = await t.http.post('/api/v1/systems').set('authorization', t.admin).send({ name: 'Système A', owner: 'RENAME' });
    const b = await t.http.post('/api/v1/datasets').set('authorization', t.admin).send({ name: 'Registre B', owner: 'RENAME' });
    const [{ last }] = await sqlRows<{ last: string }>(t.dataSource, 'SELECT coalesce(max(id), 0)::text AS last FROM search_outbox');
    const renamed = await t.http.patch('/api/v1/organisations/RENAME').set('authorization', t.admin).set('if-match', org.headers.etag).send({ name: 'Nouveau nom' });
    expect(renamed.status).toBe(200);
    const queued = await sqlRows<{ entry_id: string }>(t.dataSource, 'SELECT entry_id FROM search_outbox WHERE id > $1::bigint', [last]);
    expect(queued.map((r) => r.entry_id).sort()).toEqual([a.body.id, b.body.id].sort());
  });
});

describe('outbox backoff', () => {
  it('doubles from about a second and stops at five minutes', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((a) => outboxBackoffMs(a, mid))).toEqual([1000, 2000, 4000, 8000]);
    expect(outboxBackoffMs(30, mid)).toBe(300_000);
    expect(outboxBackoffMs(1, () => 0)).toBe(800);
    expect(outboxBackoffMs(1, () => 1)).toBe(1200);
  });
});
