import { onServer, startTestApp, TestApp, databaseLabel } from './helpers/test-app';
import { expectProblem } from './problem-expect';

describe(`health, OpenAPI and docs (${databaseLabel})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('answers /health/live with 200', async () => {
    const res = await t.http.get('/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers /health/ready with 200 once migrations ran, naming the database', async () => {
    const res = await t.http.get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: onServer ? 'postgresql' : 'embedded' });
  });

  it('sends a browser at the root to the documentation, and tells a client where everything is (was a 404; found by a new-user check)', async () => {
    const browser = await t.http.get('/').set('accept', 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8');
    expect(browser.status).toBe(302);
    expect(browser.headers.location).toBe('/docs');
    const client = await t.http.get('/');
    expect(client.status).toBe(200);
    expect(client.body).toEqual({ title: 'Interoperability catalogue', api: '/api/v1', docs: '/docs', openapi: '/api/openapi.json', health: '/health/ready' });
    expect((await t.http.get('/api/v1')).body).toEqual(client.body);
    for (const path of ['/docs', '/api/openapi.json', '/health/ready']) expect([200, 301, 302]).toContain((await t.http.get(path)).status);
  });

  it('sends /docs/ to /docs, whose page finds its assets (from /docs/ it was blank; found by a new-user check)', async () => {
    const res = await t.http.get('/docs/');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/docs');
    expect((await t.http.get('/docs')).status).toBe(200);
  });

  it('keeps health outside the API prefix', async () => {
    expectProblem(await t.http.get('/api/v1/health/live'), 404);
  });

  it('serves the OpenAPI document at /api/openapi.json with the catalogue paths', async () => {
    const res = await t.http.get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/systems', '/api/v1/systems/{ref}', '/api/v1/systems/{ref}/lifecycle', '/api/v1/datasets', '/api/v1/eservices/{ref}', '/api/v1/organisations', '/api/v1/organisations/{code}', '/api/v1/search']) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(Object.keys(doc.paths['/api/v1/systems']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/systems/{ref}']).sort()).toEqual(['delete', 'get', 'patch']);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    // The DTOs are the schemas: a system's interfaces and their types are described.
    const schemas = doc.components.schemas;
    expect(schemas.CreateSystemDto.properties.interfaces).toBeDefined();
    expect(schemas.InterfaceDto.properties.type.enum).toEqual(['REST', 'SOAP', 'GraphQL', 'file', 'other']);
    expect(schemas.CreateSystemDto.required).toContain('name');
  });

  it('serves the interactive reference at /docs as HTML', async () => {
    const res = await t.http.get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toMatch(/swagger/i);
  });

  it('allows cross-origin public reads and exposes ETag and Location', async () => {
    const res = await t.http.get('/api/v1/systems').set('origin', 'https://portal.example.org');
    expect(res.status).toBe(200);
    expect(['*', 'https://portal.example.org']).toContain(res.headers['access-control-allow-origin']);
    expect(res.headers['access-control-expose-headers']).toMatch(/etag/i);
    expect(res.headers['access-control-expose-headers']).toMatch(/location/i);
  });

  it('allows a cross-origin PATCH with If-Match after a preflight, cached for 10 minutes, and exposes the rate-limit headers', async () => {
    const res = await t.http
      .options('/api/v1/systems/IS00001')
      .set('origin', 'https://portal.example.org')
      .set('access-control-request-method', 'PATCH')
      .set('access-control-request-headers', 'authorization, content-type, if-match');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://portal.example.org');
    const list = (header: string) => res.headers[header].split(/,\s*/).map((h: string) => h.toLowerCase());
    expect(list('access-control-allow-methods')).toEqual(expect.arrayContaining(['get', 'head', 'post', 'patch', 'delete']));
    expect(list('access-control-allow-headers')).toEqual(expect.arrayContaining(['authorization', 'content-type', 'if-match', 'if-none-match', 'cache-control']));
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(list('access-control-expose-headers')).toEqual(
      expect.arrayContaining(['etag', 'location', 'cache-status', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after']),
    );
  });

  it('answers an OPTIONS request that is not a CORS preflight with 400 problem+json, not text/plain', async () => {
    expectProblem(await t.http.options('/api/v1/systems').set('origin', 'https://portal.example.org'), 400, 'PREFLIGHT_INVALID');
    expectProblem(await t.http.options('/api/v1/systems').set('access-control-request-method', 'GET'), 400, 'PREFLIGHT_INVALID');
    expectProblem(await t.http.options('/api/v1/systems'), 400, 'PREFLIGHT_INVALID');
  });

  describe('with CORS_ORIGINS', () => {
    let restricted: TestApp;
    beforeAll(async () => {
      restricted = await startTestApp({ env: { CORS_ORIGINS: 'https://portal.example.org' } });
    });
    afterAll(async () => restricted?.close());

    it('allows the listed origin and gives any other no Access-Control-Allow-Origin, on reads and preflights', async () => {
      const preflight = (origin: string) => restricted.http.options('/api/v1/systems').set('origin', origin).set('access-control-request-method', 'POST');
      expect((await preflight('https://portal.example.org')).headers['access-control-allow-origin']).toBe('https://portal.example.org');
      expect((await preflight('https://elsewhere.example.org')).headers['access-control-allow-origin']).toBeUndefined();
      const read = await restricted.http.get('/api/v1/systems').set('origin', 'https://elsewhere.example.org');
      expect(read.status).toBe(200);
      expect(read.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
