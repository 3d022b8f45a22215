import { databaseLabel, startTestApp, TestApp } from './helpers/test-app';
import { expectProblem } from './problem-expect';

/** DESIGN §6: public reads are rate limited per client; failed authentication more strictly. */
describe(`rate limits (${databaseLabel})`, () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('answers 429 problem+json with Retry-After once a client passes its requests per minute; health checks are not counted', async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5', AUTH_FAILURE_LIMIT: '0' } });
    for (let i = 0; i < 5; i++) {
      const res = await t.http.get('/api/v1/systems');
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('5');
      expect(res.headers['ratelimit-remaining']).toBe(String(4 - i));
    }
    const limited = await t.http.get('/api/v1/systems');
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await t.http.get('/health/live')).status).toBe(200);
    // Writes count too: the limit is per client, not per kind of request.
    expectProblem(await t.http.post('/api/v1/systems').set('authorization', t.admin).send({ name: 'x' }), 429, 'RATE_LIMITED');
  });

  it('puts the RateLimit headers on refusals that come before routing too (an OPTIONS that is no preflight, a malformed query string)', async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5', AUTH_FAILURE_LIMIT: '0' } });
    const res = await t.http.options('/api/v1/systems');
    expectProblem(res, 400, 'PREFLIGHT_INVALID');
    expect(res.headers['ratelimit-limit']).toBe('5');
    expect(res.headers['ratelimit-remaining']).toBe('4');
    const malformed = await t.http.get('/api/v1/search?q=%ff');
    expectProblem(malformed, 400, 'QUERY_STRING_MALFORMED');
    expect(malformed.headers['ratelimit-remaining']).toBe('3');
  });

  it('counts only failed authentications; after too many, refuses credentials with 429 before checking them, while anonymous reads go on', async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '0', AUTH_FAILURE_LIMIT: '3' } });
    for (let i = 0; i < 10; i++) expect((await t.http.get('/api/v1/systems').set('authorization', t.admin)).status).toBe(200);
    for (let i = 0; i < 3; i++) expectProblem(await t.http.get('/api/v1/systems').set('authorization', `ApiKey icat_wrong${i}`), 401, 'UNAUTHENTICATED');
    const blocked = await t.http.get('/api/v1/systems').set('authorization', 'ApiKey icat_wrong-again');
    expectProblem(blocked, 429, 'AUTH_RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(60);
    // Even a valid key from this client waits: guessing must not be told which attempt was right.
    expectProblem(await t.http.get('/api/v1/systems').set('authorization', t.admin), 429, 'AUTH_RATE_LIMITED');
    expect((await t.http.get('/api/v1/systems')).status).toBe(200);
  });
});
