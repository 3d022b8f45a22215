import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jsonld from 'jsonld';
import { Parser } from 'n3';
import { startTestApp, TestApp, databaseLabel, sharedData } from './helpers/test-app';
import { demoCodes } from './helpers/demo';
import { expectProblem } from './problem-expect';

interface ShaclResult {
  severity: string;
  focus: string;
  path: string;
  message: string;
  shape: string;
}

const work = mkdtempSync(join(tmpdir(), 'shacl-'));

/** Runs rdf-validate-shacl (an ES module) in its own process; returns the violations. */
function validate(data: string, ext: 'ttl' | 'nq', shapes: string[]): ShaclResult[] {
  const file = join(work, `data-${Date.now()}-${Math.random().toString(16).slice(2)}.${ext}`);
  writeFileSync(file, data);
  const out = execFileSync(process.execPath, [join(__dirname, 'helpers/shacl-validate.mjs'), file, ...shapes], { maxBuffer: 64 * 1024 * 1024 });
  const violations = (JSON.parse(out.toString()).results as ShaclResult[]).filter((r) => r.severity === 'Violation');
  // One line per kind of violation, with an example focus node, so a failure reads at a glance.
  const kinds = new Map<string, string>();
  for (const v of violations) {
    const k = `${v.shape.split('#').pop()?.split('/')[0]} ${v.path}: ${v.message}`;
    if (!kinds.has(k)) kinds.set(k, `${k} (e.g. ${v.focus})`);
  }
  return [...kinds.values()] as unknown as ShaclResult[];
}

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const DCT_IDENTIFIER = 'http://purl.org/dc/terms/identifier';

function subjectsOfType(turtle: string, type: string): Map<string, string> {
  const quads = new Parser().parse(turtle);
  const subjects = new Set(quads.filter((q) => q.predicate.value === RDF_TYPE && q.object.value === type).map((q) => q.subject.value));
  const ids = new Map<string, string>();
  for (const q of quads) if (subjects.has(q.subject.value) && q.predicate.value === DCT_IDENTIFIER) ids.set(q.object.value, q.subject.value);
  return ids;
}

describe(`DCAT-AP and CPSV-AP exports (${databaseLabel})`, () => {
  let t: TestApp;
  const { demo, code } = demoCodes();
  const dcatShapes = sharedData('shacl/dcat-ap-3.0.1-SHACL.ttl');
  // The range shapes add class constraints on every property's values.
  const dcatRanges = sharedData('shacl/dcat-ap-3.0.1-ranges.ttl');
  const cpsvShapes = sharedData('shacl/cpsv-ap-3.2.0-SHACL.ttl');
  let draftDataset: string;
  let draftService: string;
  let templatedSystem: string;
  let templatedService: string;

  /** Creates an entry as admin and publishes it (the coordinator's direct transition). */
  async function publish(kind: 'systems' | 'eservices', body: Record<string, unknown>): Promise<string> {
    const created = await t.http.post(`/api/v1/${kind}`).set('authorization', t.admin).send({ owner: 'MININT', ...body });
    expect(created.status).toBe(201);
    const moved = await t.http
      .post(`/api/v1/${kind}/${created.body.code}/lifecycle`)
      .set('authorization', t.admin)
      .set('if-match', created.headers.etag)
      .send({ status: 'published' });
    expect(moved.status).toBe(200);
    return created.body.code;
  }

  beforeAll(async () => {
    t = await startTestApp({
      seed: true,
      env: { CATALOGUE_LANGUAGE: 'fr', CATALOGUE_TITLE: 'Catalogue <national> & "interop"', CATALOGUE_PUBLISHER: 'MININT', CATALOGUE_SPATIAL: 'http://publications.europa.eu/resource/authority/country/BEN' },
    });
    draftDataset = (await t.http.post('/api/v1/datasets').set('authorization', t.admin).send({ name: 'Registre brouillon', owner: 'MININT', distributions: [{ title: 'x', accessUrl: 'https://x.example' }] })).body.code;
    draftService = (await t.http.post('/api/v1/eservices').set('authorization', t.admin).send({ name: 'Service brouillon', owner: 'MININT' })).body.code;
    // Markup and quotes in stored text must come out as literals, escaped by the serialisers.
    const ds = await t.http.get(`/api/v1/datasets/${code('ds-rnpp')}`);
    const res = await t.http
      .patch(`/api/v1/datasets/${code('ds-rnpp')}`)
      .set('authorization', t.admin)
      .set('if-match', ds.headers.etag)
      .send({ description: 'Registre <script>alert("x")</script> """ \\ fin' });
    expect(res.status).toBe(200);
    // URLs the API accepts although IRIs may not carry { } | ^ ` \ raw: templated REST paths, odd mailboxes.
    templatedSystem = await publish('systems', {
      name: 'API des personnes',
      interfaces: [{ name: 'Personnes', type: 'REST', baseUrl: 'https://api.example.org/v1/persons/{id}', documentationUrl: 'https://docs.example.org/a|b^c`d\\e' }],
    });
    templatedService = await publish('eservices', {
      name: 'Demande par formulaire',
      serviceUrl: 'https://service.example.org/apply/{form}',
      channels: [{ type: 'online', url: 'https://service.example.org/apply/{form}' }],
      legalBasis: [{ title: 'Décret', url: 'https://lois.example.org/decret|2020' }],
    });
  });
  afterAll(async () => t?.close());

  (dcatShapes ? it : it.skip)('DCAT-AP in Turtle validates with 0 violations and lists every published demo dataset, never a draft', async () => {
    const res = await t.http.get('/api/v1/exports/dcat-ap').set('accept', 'text/turtle');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/turtle/);
    const violations = validate(res.text, 'ttl', [dcatShapes!, dcatRanges!]);
    expect(violations).toEqual([]);
    const datasets = subjectsOfType(res.text, 'http://www.w3.org/ns/dcat#Dataset');
    for (const d of demo.datasets) expect(datasets.has(code(d.key))).toBe(true);
    expect(datasets.has(draftDataset)).toBe(false);
    expect(datasets.size).toBe(demo.datasets.length);
    // System interfaces are data services (identified by their X-Road id when they have one).
    expect(res.text).toContain('dcat:DataService');
    expect(res.text).toContain('dcat:endpointURL');
    // The catalogue's title and spatial coverage come from configuration; text is escaped, never markup.
    const quads = new Parser().parse(res.text);
    expect(quads.some((q) => q.object.value === 'Catalogue <national> & "interop"')).toBe(true);
    expect(quads.some((q) => q.object.value === 'http://publications.europa.eu/resource/authority/country/BEN')).toBe(true);
    expect(quads.some((q) => q.object.value === 'Registre <script>alert("x")</script> """ \\ fin')).toBe(true);
  });

  (dcatShapes ? it : it.skip)('DCAT-AP in JSON-LD carries the same graph and validates with 0 violations', async () => {
    const res = await t.http.get('/api/v1/exports/dcat-ap').set('accept', 'application/ld+json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    const nquads = (await jsonld.toRDF(JSON.parse(res.text), { format: 'application/n-quads' })) as unknown as string;
    expect(validate(nquads, 'nq', [dcatShapes!, dcatRanges!])).toEqual([]);
    expect(nquads).toContain(`"${code('ds-rnpp')}"`);
  });

  (cpsvShapes ? it : it.skip)('CPSV-AP in Turtle and JSON-LD validates with 0 violations and lists every published demo e-service, never a draft', async () => {
    const ttl = await t.http.get('/api/v1/exports/cpsv-ap').set('accept', 'text/turtle');
    expect(ttl.status).toBe(200);
    expect(validate(ttl.text, 'ttl', [cpsvShapes!])).toEqual([]);
    const services = subjectsOfType(ttl.text, 'http://purl.org/vocab/cpsv#PublicService');
    for (const e of demo.eservices) expect(services.has(code(e.key))).toBe(true);
    expect(services.has(draftService)).toBe(false);
    expect(ttl.text).toContain('cv:hasCompetentAuthority');
    expect(ttl.text).toContain('cpsv:hasInput');
    expect(ttl.text).toContain('cv:hasChannel');
    expect(ttl.text).toContain('cpsv:produces');
    const json = await t.http.get('/api/v1/exports/cpsv-ap').set('accept', 'application/ld+json');
    const nquads = (await jsonld.toRDF(JSON.parse(json.text), { format: 'application/n-quads' })) as unknown as string;
    expect(validate(nquads, 'nq', [cpsvShapes!])).toEqual([]);
  });

  describe('URLs holding characters an IRI may not carry raw', () => {
    const escaped = ['https://api.example.org/v1/persons/%7Bid%7D', 'https://docs.example.org/a%7Cb%5Ec%60d%5Ce'];
    const escapedService = ['https://service.example.org/apply/%7Bform%7D', 'https://lois.example.org/decret%7C2020'];

    it.each([
      ['dcat-ap', escaped, () => [dcatShapes!, dcatRanges!]],
      ['cpsv-ap', escapedService, () => [cpsvShapes!]],
    ] as const)('%s in Turtle parses, percent-encodes them and validates with 0 violations', async (what, iris, shapes) => {
      const res = await t.http.get(`/api/v1/exports/${what}`).set('accept', 'text/turtle');
      expect(res.status).toBe(200);
      const objects = new Set(new Parser().parse(res.text).map((q) => q.object.value));
      for (const i of iris) expect(objects).toContain(i);
      const files = shapes();
      if (files.every(Boolean)) expect(validate(res.text, 'ttl', files)).toEqual([]);
    });

    it.each([
      ['dcat-ap', escaped],
      ['cpsv-ap', escapedService],
    ] as const)('%s in JSON-LD answers 200 with the same IRIs', async (what, iris) => {
      const res = await t.http.get(`/api/v1/exports/${what}`).set('accept', 'application/ld+json');
      expect(res.status).toBe(200);
      const nquads = (await jsonld.toRDF(JSON.parse(res.text), { format: 'application/n-quads' })) as unknown as string;
      for (const i of iris) expect(nquads).toContain(`<${i}>`);
    });

    it('keeps the stored values verbatim', async () => {
      const sys = await t.http.get(`/api/v1/systems/${templatedSystem}`);
      expect(sys.body.interfaces[0].baseUrl).toBe('https://api.example.org/v1/persons/{id}');
      const svc = await t.http.get(`/api/v1/eservices/${templatedService}`);
      expect(svc.body).toMatchObject({ serviceUrl: 'https://service.example.org/apply/{form}', legalBasis: [{ url: 'https://lois.example.org/decret|2020' }] });
    });
  });

  it('negotiates: JSON-LD by default, 406 problem+json for what it cannot produce', async () => {
    const res = await t.http.get('/api/v1/exports/cpsv-ap');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    expectProblem(await t.http.get('/api/v1/exports/dcat-ap').set('accept', 'application/xml'), 406, 'NOT_ACCEPTABLE');
    const preferred = await t.http.get('/api/v1/exports/dcat-ap').set('accept', 'application/ld+json;q=0.5, text/turtle');
    expect(preferred.headers['content-type']).toMatch(/^text\/turtle/);
  });

  it('exports nothing restricted: no hosting, technologies or named people', async () => {
    const sys = (await t.http.get('/api/v1/systems?limit=100')).body.items.find((s: any) => s.hosting || s.technologies?.length);
    const ttl = (await t.http.get('/api/v1/exports/dcat-ap').set('accept', 'text/turtle')).text;
    if (sys?.hosting) expect(ttl).not.toContain(sys.hosting);
    const named = demo.datasets.flatMap((d: any) => (d.contacts ?? []).map((c: any) => c.name)).filter(Boolean) as string[];
    for (const n of named) expect(ttl).not.toContain(`"${n}"`);
  });
});
