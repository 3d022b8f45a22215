import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApi } from '../src/bootstrap';
import { startTestApp, TestApp } from './helpers/test-app';

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('matches the committed openapi/openapi.json (run `npm run openapi` after changing the API)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8'));
    const generated = JSON.parse(JSON.stringify(buildOpenApi(t.app, t.config)));
    expect(generated).toEqual(committed);
  });

  it('is served at /api/openapi.json and the reference at /docs', async () => {
    const doc = await t.http.get('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.paths['/api/v1/systems']).toBeDefined();
    const docs = await t.http.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });
});
