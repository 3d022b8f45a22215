import { RELATION_TYPES } from '../src/catalogue/relation-types';
import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';
import { demoCodes, pathOf } from './helpers/demo';
import { expectFieldError, expectProblem } from './problem-expect';

/** Transitive dependants of a demo entry, computed from the demo file with the documented rules. */
function expectedDependants(relations: { from: string; type: string; to: string }[], root: string, depth: number): Map<string, number> {
  const edges: [string, string][] = []; // [dependant, dependency]
  for (const r of relations) {
    const def = RELATION_TYPES.find((t) => t.type === r.type)!;
    if (def.sourceDependsOnTarget) edges.push([r.from, r.to]);
    if (def.targetDependsOnSource) edges.push([r.to, r.from]);
  }
  const seen = new Map([[root, 0]]);
  let frontier = [root];
  for (let d = 1; d <= depth && frontier.length; d++) {
    const next: string[] = [];
    for (const n of frontier) for (const [a, b] of edges) if (b === n && !seen.has(a)) (seen.set(a, d), next.push(a));
    frontier = next;
  }
  return seen;
}

describe(`impact graph (${databaseLabel})`, () => {
  let t: TestApp;
  const { demo, code, key } = demoCodes();
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(async () => t?.close());

  it('answers which e-services stop when the population register is down, transitively, in one call', async () => {
    const res = await t.http.get(`${pathOf(code('ds-rnpp'))}/graph?direction=dependants&depth=10`);
    expect(res.status).toBe(200);
    const expected = expectedDependants(demo.relations, 'ds-rnpp', 10);
    const got = new Map<string, number>(res.body.nodes.map((n: { code: string; depth: number }) => [key(n.code), n.depth]));
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
    const eservices = res.body.nodes.filter((n: { kind: string }) => n.kind === 'eservice').map((n: { code: string }) => key(n.code));
    // The register's host provides the NPI certificate; systems that depend on it provide many more.
    expect(eservices).toContain('ps-certificat-npi');
    expect(eservices.length).toBeGreaterThan(5);
    expect(res.body.root.code).toBe(code('ds-rnpp'));
    // Every edge joins two nodes of the graph.
    const ids = new Set(res.body.nodes.map((n: { id: string }) => n.id));
    for (const e of res.body.edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
  });

  it('caps the depth and reports distances', async () => {
    const one = await t.http.get(`${pathOf(code('ds-rnpp'))}/graph?depth=1`);
    expect(one.body.nodes.map((n: { code: string }) => key(n.code)).sort()).toEqual([...expectedDependants(demo.relations, 'ds-rnpp', 1).keys()].sort());
    expectFieldError(await t.http.get(`${pathOf(code('ds-rnpp'))}/graph?depth=11`), 'depth');
    expectFieldError(await t.http.get(`${pathOf(code('ds-rnpp'))}/graph?direction=sideways`), 'direction');
  });

  it('ends on cycles (the demo population and civil registry systems depend on each other)', async () => {
    const res = await t.http.get(`${pathOf(code('sys-rnpp'))}/graph?direction=both&depth=10`);
    expect(res.status).toBe(200);
    const codes = res.body.nodes.map((n: { code: string }) => n.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toContain(code('sys-etat-civil'));
    const etatCivil = res.body.nodes.find((n: { code: string }) => n.code === code('sys-etat-civil'));
    expect(etatCivil.roles).toEqual(['dependant', 'dependency']);
  });

  it('stays quick on densely linked systems (every one depends on all before it, and the first on the last)', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      codes.push((await t.http.post('/api/v1/systems').set('authorization', t.admin).send({ name: `Maillon ${i}`, owner: 'MININT' })).body.code);
    }
    for (let i = 1; i < codes.length; i++) {
      for (let j = 0; j < i; j++) await t.http.post(`/api/v1/systems/${codes[i]}/relations`).set('authorization', t.admin).send({ type: 'dependsOn', entry: codes[j] });
    }
    await t.http.post(`/api/v1/systems/${codes[0]}/relations`).set('authorization', t.admin).send({ type: 'dependsOn', entry: codes[11] });
    const started = Date.now();
    const res = await t.http.get(`/api/v1/systems/${codes[0]}/graph?direction=both&depth=10`).set('authorization', t.admin);
    expect(res.status).toBe(200);
    expect(res.body.nodes).toHaveLength(12);
    expect(res.body.nodes.find((n: { code: string }) => n.code === codes[11]).depth).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000); // a path enumeration would list billions of paths here
  });

  it('lists what an e-service needs (dependencies)', async () => {
    const res = await t.http.get(`${pathOf(code('ps-certificat-npi'))}/graph?direction=dependencies&depth=2`);
    expect(res.body.nodes.map((n: { code: string }) => key(n.code))).toEqual(expect.arrayContaining(['ps-certificat-npi', 'sys-rnpp', 'ds-rnpp']));
  });

  it('never shows a draft, nor what is reachable only through it, to anonymous callers', async () => {
    const mk = async (path: string, body: object) => (await t.http.post(path).set('authorization', t.admin).send(body)).body.code as string;
    const hiddenSystem = await mk('/api/v1/systems', { name: 'Passerelle brouillon', owner: 'MININT' });
    const hiddenService = await mk('/api/v1/eservices', { name: 'Service brouillon', owner: 'MININT' });
    // A published e-service reachable only through the draft system.
    const service = await mk('/api/v1/eservices', { name: 'Service derrière la passerelle', owner: 'MININT' });
    const ps = await t.http.get(pathOf(service)).set('authorization', t.admin);
    const published = await t.http.post(`${pathOf(service)}/lifecycle`).set('authorization', t.admin).set('if-match', ps.headers.etag).send({ status: 'published' });
    expect(published.status).toBe(200);
    expect((await t.http.get(pathOf(service))).status).toBe(200);
    for (const [from, type, to] of [
      [hiddenSystem, 'uses', code('ds-rnpp')],
      [hiddenSystem, 'provides', hiddenService],
      [hiddenSystem, 'provides', service],
    ]) {
      expect((await t.http.post(`${pathOf(from)}/relations`).set('authorization', t.admin).send({ type, entry: to })).status).toBe(201);
    }
    const admin = await t.http.get(`${pathOf(code('ds-rnpp'))}/graph?depth=10`).set('authorization', t.admin);
    const anon = await t.http.get(`${pathOf(code('ds-rnpp'))}/graph?depth=10`);
    const adminCodes = admin.body.nodes.map((n: { code: string }) => n.code);
    const anonCodes = anon.body.nodes.map((n: { code: string }) => n.code);
    expect(adminCodes).toEqual(expect.arrayContaining([hiddenSystem, hiddenService, service]));
    for (const c of [hiddenSystem, hiddenService, service]) expect(anonCodes).not.toContain(c);
    const anonIds = new Set(anon.body.nodes.map((n: { id: string }) => n.id));
    for (const e of anon.body.edges) expect(anonIds.has(e.source) && anonIds.has(e.target)).toBe(true);
    expectProblem(await t.http.get(`${pathOf(hiddenSystem)}/graph`), 404, 'SYSTEM_NOT_FOUND');
  });
});
