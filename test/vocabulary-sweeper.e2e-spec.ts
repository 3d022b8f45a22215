/**
 * README "Search": the typo vocabulary holds the words public entries hold. Words an update takes away
 * from a public entry are noted and swept every VOCABULARY_SWEEP_SECONDS (search.e2e-spec covers what
 * a sweep removes and keeps; this file, that the server sweeps on its own).
 */
import { ConfigError, loadConfig } from '../src/config/app-config';
import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';

describe(`vocabulary sweeps on a timer (${databaseLabel})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { VOCABULARY_SWEEP_SECONDS: '1' } });
  });
  afterAll(async () => t?.close());

  it('removes a noted word no public entry holds within a few sweeps, without any request', async () => {
    await t.dataSource.query(`INSERT INTO search_words (word) VALUES ('zqtimerword')`);
    await t.dataSource.query(`INSERT INTO search_words_doubt (word) VALUES ('zqtimerword')`);
    const present = async () => (await t.dataSource.query(`SELECT 1 FROM search_words WHERE word = 'zqtimerword'`)).length > 0;
    // Polls for the outcome (not a timing assertion): one sweep a second, up to 20 s on a busy machine.
    for (let i = 0; i < 100 && (await present()); i++) await new Promise((r) => setTimeout(r, 200));
    expect(await present()).toBe(false);
    expect(await t.dataSource.query(`SELECT word FROM search_words_doubt`)).toEqual([]);
  });

  it('reads VOCABULARY_SWEEP_SECONDS as whole seconds from 0 (off) to 86400, 30 by default', () => {
    expect(loadConfig({}).vocabularySweepSeconds).toBe(30);
    expect(loadConfig({ VOCABULARY_SWEEP_SECONDS: '0' }).vocabularySweepSeconds).toBe(0);
    for (const bad of ['-1', 'abc', '1.5', '86401']) expect(() => loadConfig({ VOCABULARY_SWEEP_SECONDS: bad })).toThrow(ConfigError);
  });
});

describe(`vocabulary sweeps after each commit (${databaseLabel})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    // The timer would not come round during this test: what sweeps is the commit.
    t = await startTestApp({ env: { VOCABULARY_SWEEP_SECONDS: '3600' } });
  });
  afterAll(async () => t?.close());

  it('takes the words of an entry that stops being public out of the vocabulary right after the commit, not at the next timed sweep', async () => {
    // Found by a new-user check: for up to 30 s after "Quaggaplex Secret" went back to draft, anonymous
    // searches for `quagg` found nothing (its word was still a known one, so not corrected), then 8 hits:
    // what anyone found told them that a hidden entry held the word.
    expect((await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'SWEEPNOW', name: 'Sweep now' })).status).toBe(201);
    const created = await t.http.post('/api/v1/systems').set('authorization', t.admin).send({ name: 'Zqquaggaplex secret', owner: 'SWEEPNOW' });
    expect(created.status).toBe(201);
    const published = await t.http.post(`/api/v1/systems/${created.body.code}/lifecycle`).set('authorization', t.admin).set('if-match', '"1"').send({ status: 'published', comment: 'ok' });
    expect(published.status).toBe(200);
    const present = async () => (await t.dataSource.query(`SELECT 1 FROM search_words WHERE word = 'zqquaggaplex'`)).length > 0;
    expect(await present()).toBe(true);
    const back = await t.http.post(`/api/v1/systems/${created.body.code}/transitions/send-back`).set('authorization', t.admin).set('if-match', published.headers.etag).send({ comment: 'not yet' });
    expect(back.status).toBe(200);
    // Polls for the outcome (not a timing assertion): the sweep runs as soon as the event loop turns.
    for (let i = 0; i < 50 && (await present()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await present()).toBe(false);
    expect(await t.dataSource.query(`SELECT word FROM search_words_doubt`)).toEqual([]);
  });
});
