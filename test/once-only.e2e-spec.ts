import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';
import { demoCodes } from './helpers/demo';
import { expectFieldError } from './problem-expect';

describe(`once-only report (${databaseLabel})`, () => {
  let t: TestApp;
  const { demo, code } = demoCodes();
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(async () => t?.close());

  /** Evidence the demo e-services ask the applicant for while a demo register holds it. */
  const demoAsks = demo.eservices.flatMap((e: any) =>
    (e.evidence ?? []).filter((ev: any) => ev.dataset && ev.suppliedBy !== 'administration').map((ev: any) => `${code(e.key)} ${ev.name} ${code(ev.dataset)}`),
  );

  it('lists every demo e-service that asks for evidence a register holds, with the register, its owner and the interfaces exposing it', async () => {
    const res = await t.http.get('/api/v1/reports/once-only');
    expect(res.status).toBe(200);
    const got = res.body.items.map((i: any) => `${i.eservice.code} ${i.evidence.name} ${i.register.code}`);
    expect(got.sort()).toEqual([...demoAsks].sort());
    expect(res.body.total).toBe(demoAsks.length);
    expect(res.body.summary.evidence).toBe(demoAsks.length);

    // A marriage asks for a birth certificate the civil registry holds, exposed over X-Road by its system.
    const mariage = res.body.items.find((i: any) => i.eservice.code === code('ps-mariage') && i.register.code === code('ds-etat-civil'));
    expect(mariage.register.owner.code).toBeTruthy();
    expect(mariage.exposed).toBe(true);
    expect(mariage.exposedOverXRoad).toBe(true);
    expect(mariage.interfaces[0]).toMatchObject({ system: { code: code('sys-etat-civil') }, xroad: { serviceCode: expect.any(String) } });
    // The identity card register has no interface yet: listed, not exposed, after the exposed ones.
    const cip = res.body.items.find((i: any) => i.register.code === code('ds-cip'));
    expect(cip.exposed).toBe(false);
    const ranks = res.body.items.map((i: any) => (i.exposedOverXRoad ? 0 : i.exposed ? 1 : 2));
    expect([...ranks].sort()).toEqual(ranks);
  });

  it('leaves out evidence the administration already fetches', async () => {
    const res = await t.http.get('/api/v1/reports/once-only');
    const acte = res.body.items.filter((i: any) => i.eservice.code === code('ps-acte-naissance'));
    expect(acte).toEqual([]);
    const ifu = res.body.items.filter((i: any) => i.eservice.code === code('ps-ifu')).map((i: any) => i.register.code);
    expect(ifu).toEqual([code('ds-cip')]);
  });

  it('filters by owner and by exposure', async () => {
    const exposed = await t.http.get('/api/v1/reports/once-only?exposed=true');
    expect(exposed.body.items.every((i: any) => i.exposed)).toBe(true);
    const notExposed = await t.http.get('/api/v1/reports/once-only?exposed=false');
    expect(exposed.body.total + notExposed.body.total).toBe(demoAsks.length);
    const owner = demo.eservices.find((e: any) => e.key === 'ps-mariage')!.owner as string;
    const mine = await t.http.get(`/api/v1/reports/once-only?owner=${owner}`);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((i: any) => i.eservice.owner.code === owner)).toBe(true);
    expectFieldError(await t.http.get('/api/v1/reports/once-only?exposed=maybe'), 'exposed');
  });

  it('shows nothing a caller may not see: a draft e-service, a draft register and a draft host stay out for anonymous callers', async () => {
    const ds = (await t.http.post('/api/v1/datasets').set('authorization', t.admin).send({ name: 'Registre brouillon des permis', owner: 'MININT' })).body.code;
    const ps = (
      await t.http
        .post('/api/v1/eservices')
        .set('authorization', t.admin)
        .send({ name: 'Service brouillon', owner: 'MININT', evidence: [{ name: 'Permis', dataset: code('ds-rnpp') }] })
    ).body.code;
    // A published e-service whose evidence is held by the draft register.
    const pub = await t.http.post('/api/v1/eservices').set('authorization', t.admin).send({ name: 'Service public', owner: 'MININT', evidence: [{ name: 'Permis', dataset: ds }] });
    await t.http.post(`/api/v1/eservices/${pub.body.code}/lifecycle`).set('authorization', t.admin).set('if-match', '"1"').send({ status: 'published' });
    // A draft system hosting a published register, with an interface.
    const host = (
      await t.http
        .post('/api/v1/systems')
        .set('authorization', t.admin)
        .send({ name: 'Hôte brouillon', owner: 'MININT', interfaces: [{ name: 'API cachée', type: 'REST', baseUrl: 'https://hidden.example' }] })
    ).body.code;
    await t.http.post(`/api/v1/systems/${host}/relations`).set('authorization', t.admin).send({ type: 'hosts', entry: code('ds-cip') });

    const admin = (await t.http.get('/api/v1/reports/once-only').set('authorization', t.admin)).body;
    const anon = (await t.http.get('/api/v1/reports/once-only')).body;
    const codes = (r: any) => r.items.flatMap((i: any) => [i.eservice.code, i.register.code, ...i.interfaces.map((x: any) => x.system.code)]);
    expect(codes(admin)).toEqual(expect.arrayContaining([ps, ds, host]));
    for (const c of [ps, ds, host]) expect(codes(anon)).not.toContain(c);
    expect(anon.total).toBe(demoAsks.length);
    expect(anon.items.find((i: any) => i.register.code === code('ds-cip')).exposed).toBe(false);
  });
});
