import { sqlRows } from '../src/database/sql';
import { visibleToMeiliFilter } from '../src/catalogue/visibility';
import { viewerOf } from '../src/auth/principal';
import { SearchDocumentsRepository } from '../src/search/search-documents';
import { Actors, startOidc, TestOidc, TestUser } from './helpers/identity';
import { databaseLabel, startTestApp, TestApp } from './helpers/test-app';

/**
 * An external index (Meilisearch) applies the visibility rule to fields of its documents, so every change
 * of those fields must reach the index: owner, lifecycle, pending transfers, assigned reviewers,
 * unclaimed. With Meilisearch configured but unreachable, each such change must leave an outbox row, and
 * the document must carry the fields the filter names. No Meilisearch is faked.
 */
describe(`search documents carry the visibility fields (${databaseLabel})`, () => {
  let oidc: TestOidc;
  let t: TestApp;
  let editor: TestUser;
  let coordinator: TestUser;
  let orgs: Record<string, string>;
  const outboxFor = async (entryId: string) =>
    (await sqlRows<{ n: number }>(t.dataSource, `SELECT count(*)::int AS n FROM search_outbox WHERE entry_id = $1`, [entryId]))[0].n;
  const doc = async (id: string) => (await t.app.get(SearchDocumentsRepository).byIds([id]))[0];

  beforeAll(async () => {
    oidc = await startOidc();
    t = await startTestApp({ env: { ...oidc.env, SEARCH_BACKEND: 'meilisearch', MEILI_URL: 'http://127.0.0.1:1', SEARCH_OUTBOX_WORKER: 'off' } });
    const actors = new Actors(t, oidc);
    for (const code of ['OWN', 'REV', 'RECV']) await actors.org(code);
    const rows = await sqlRows<{ code: string; id: string }>(t.dataSource, `SELECT code, id FROM organisations`);
    orgs = Object.fromEntries(rows.map((r) => [r.code, r.id]));
    editor = await actors.user('editor', { orgs: { OWN: 'editor' } });
    coordinator = await actors.user('coordinator', { globalRole: 'coordinator' });
  });
  afterAll(async () => {
    await t?.close();
    await oidc?.close();
  });

  it('a pending transfer and its decision each reach the index, with the receiving organisation in the document', async () => {
    const created = await t.http.post('/api/v1/systems').set('authorization', editor.auth).send({ name: 'Transferred system', owner: 'OWN' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const before = await outboxFor(id);
    const requested = await t.http.post(`/api/v1/systems/${created.body.code}/transfer`).set('authorization', editor.auth).set('if-match', created.headers.etag).send({ to: 'RECV' });
    expect(requested.status).toBe(201);
    expect(await outboxFor(id)).toBe(before + 1);
    expect(await doc(id)).toMatchObject({ ownerId: orgs.OWN, transferToOrgIds: [orgs.RECV], unclaimed: false });

    const etag = (await t.http.get(`/api/v1/systems/${created.body.code}`).set('authorization', editor.auth)).headers.etag;
    const cancelled = await t.http.post(`/api/v1/systems/${created.body.code}/transfer/cancel`).set('authorization', editor.auth).set('if-match', etag).send({});
    expect(cancelled.status).toBe(200);
    expect(await outboxFor(id)).toBe(before + 2);
    expect((await doc(id)).transferToOrgIds).toEqual([]);
  });

  it('assigning a reviewer organisation reaches the index, and the document names it while the review is open', async () => {
    const created = await t.http.post('/api/v1/datasets').set('authorization', editor.auth).send({ name: 'Reviewed register', owner: 'OWN' });
    const id = created.body.id as string;
    const submitted = await t.http.post(`/api/v1/datasets/${created.body.code}/transitions/submit`).set('authorization', editor.auth).set('if-match', created.headers.etag).send({});
    expect(submitted.status).toBe(200);
    const review = (await t.http.get('/api/v1/reviews?assigned=me').set('authorization', coordinator.auth)).body.items.find((r: { entry: { code: string } }) => r.entry.code === created.body.code);
    const before = await outboxFor(id);
    const assigned = await t.http.post(`/api/v1/reviews/${review.id}/reviewers`).set('authorization', coordinator.auth).send({ organisation: 'REV' });
    expect(assigned.status).toBe(200);
    expect(await outboxFor(id)).toBe(before + 1);
    expect(await doc(id)).toMatchObject({ lifecycleStatus: 'in_review', reviewerOrgIds: [orgs.REV] });
  });

  it('an entry without owner is marked unclaimed', async () => {
    const created = await t.http.post('/api/v1/datasets').set('authorization', coordinator.auth).send({ name: 'Orphan register' });
    expect(created.status).toBe(201);
    expect(await doc(created.body.id)).toMatchObject({ ownerId: null, unclaimed: true, reviewerOrgIds: [], transferToOrgIds: [] });
  });

  it('the Meilisearch filter names the same conditions as the SQL rule, for members and administrators', () => {
    expect(visibleToMeiliFilter(viewerOf(undefined))).toBe('(lifecycleStatus IN ["published", "deprecated", "retired"])');
    const admin = viewerOf({ kind: 'user', userId: 'u', name: 'n', globalRole: null, memberships: [{ organisationId: 'org-a', role: 'admin' }] } as never);
    const filter = visibleToMeiliFilter(admin)!;
    expect(filter).toContain('ownerId IN ["org-a"]');
    expect(filter).toContain('(lifecycleStatus = "in_review" AND reviewerOrgIds IN ["org-a"])');
    expect(filter).toContain('transferToOrgIds IN ["org-a"]');
    expect(filter).toContain('unclaimed = true');
    const member = viewerOf({ kind: 'user', userId: 'u', name: 'n', globalRole: null, memberships: [{ organisationId: 'org-b', role: 'viewer' }] } as never);
    expect(visibleToMeiliFilter(member)).not.toContain('unclaimed');
    expect(visibleToMeiliFilter(viewerOf({ kind: 'user', userId: 'c', name: 'c', globalRole: 'coordinator', memberships: [] } as never))).toBeUndefined();
  });
});
