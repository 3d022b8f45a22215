import { parse } from 'csv-parse/sync';
import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';
import { demoCodes } from './helpers/demo';
import { expectProblem } from './problem-expect';
import { NATIVE_COLUMNS } from '../src/exports/native-columns';
import { CsvExportService } from '../src/exports/csv-export.service';
import { RdfExportService } from '../src/exports/rdf-export.service';
import { DomainError } from '../src/common/domain-error';

const KINDS = [
  { file: 'systems.csv', kind: 'system', demo: 'systems' },
  { file: 'datasets.csv', kind: 'dataset', demo: 'datasets' },
  { file: 'eservices.csv', kind: 'eservice', demo: 'eservices' },
] as const;

describe(`CSV export (${databaseLabel})`, () => {
  let t: TestApp;
  const { demo } = demoCodes();
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(async () => t?.close());

  const download = async (file: string) => {
    const res = await t.http.get(`/api/v1/exports/${file}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    return res.text;
  };

  it.each(KINDS)('exports every published $kind in the native import columns', async ({ file, kind, demo: list }) => {
    const rows = parse(await download(file)) as string[][];
    expect(rows[0]).toEqual(['code', ...NATIVE_COLUMNS[kind].map((c) => c.column)]);
    expect(rows.length - 1).toBe(demo[list].length);
  });

  it('builds one export at a time: exports asked for together all answer, in turn (a whole catalogue takes 1-2 GB to build at 90,000 entries)', async () => {
    // Found by a new-user check: export requests ran side by side, each holding its whole graph.
    let running = 0;
    let most = 0;
    const rdf = t.app.get(RdfExportService);
    const csv = t.app.get(CsvExportService);
    const wrap = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
      most = Math.max(most, ++running);
      try {
        await new Promise((r) => setTimeout(r, 30));
        return await fn(...a);
      } finally {
        running--;
      }
    };
    const originals = { dcatAp: rdf.dcatAp, cpsvAp: rdf.cpsvAp, export: csv.export };
    rdf.dcatAp = wrap(originals.dcatAp.bind(rdf));
    rdf.cpsvAp = wrap(originals.cpsvAp.bind(rdf));
    csv.export = wrap(originals.export.bind(csv));
    try {
      const results = await Promise.all([
        t.http.get('/api/v1/exports/dcat-ap'),
        t.http.get('/api/v1/exports/dcat-ap').set('accept', 'text/turtle'),
        t.http.get('/api/v1/exports/cpsv-ap'),
        t.http.get('/api/v1/exports/systems.csv'),
        t.http.get('/api/v1/exports/dcat-ap'),
      ]);
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      const unlabelled = (text: string) => text.replace(/_:[\w-]+/g, '_:b'); // blank node labels count up per export
      expect(unlabelled(results[4].text)).toBe(unlabelled(results[0].text));
      expect(most).toBe(1);
      // A failed export does not hold up the next.
      rdf.cpsvAp = async () => Promise.reject(DomainError.badRequest('INJECTED', 'injected'));
      const [failed, next] = await Promise.all([t.http.get('/api/v1/exports/cpsv-ap'), t.http.get('/api/v1/exports/datasets.csv')]);
      expectProblem(failed, 400, 'INJECTED');
      expect(next.status).toBe(200);
    } finally {
      Object.assign(rdf, { dcatAp: originals.dcatAp, cpsvAp: originals.cpsvAp });
      csv.export = originals.export;
    }
  });

  it('round-trips: the export imports back through the catalogue-native mapping, and a second import changes nothing', async () => {
    const before = Object.fromEntries(await Promise.all(KINDS.map(async (k) => [k.file, await download(k.file)] as const)));
    // A draft with markup and quotes, made public, so the file carries awkward text.
    const created = await t.http
      .post('/api/v1/datasets')
      .set('authorization', t.admin)
      .send({ name: 'Registre "spécial", <b>gras</b>; =1+1', owner: 'MININT', description: 'ligne 1\nligne 2, "citée"', tags: ['a', 'b'], distributions: [{ title: 'CSV', format: 'CSV', accessUrl: 'https://x.example/a?b=1,2' }] });
    expect(created.status).toBe(201);
    const draftCsv = await download('datasets.csv');
    expect(draftCsv).not.toContain('Registre "spécial"'); // drafts are not exported
    await t.http.post(`/api/v1/datasets/${created.body.code}/lifecycle`).set('authorization', t.admin).set('if-match', '"1"').send({ status: 'published' });
    const withNew = await download('datasets.csv');

    // Import everything back: each exported row becomes a new entry (import keys differ from the seed's), identical but for its code.
    const req = t.http.post('/api/v1/imports').set('authorization', t.admin).field('mapping', 'catalogue-native').field('publish', 'true');
    req.attach('file', Buffer.from(before['systems.csv']), 'systems.csv');
    req.attach('file', Buffer.from(withNew), 'datasets.csv');
    req.attach('file', Buffer.from(before['eservices.csv']), 'eservices.csv');
    const imported = await req;
    expect(imported.status).toBe(200);
    expect(imported.body.totals.failed).toBe(0);
    expect(imported.body.issues.filter((i: { status: string }) => i.status === 'failed')).toEqual([]);

    for (const k of KINDS) {
      const original = parse(k.file === 'datasets.csv' ? withNew : before[k.file]) as string[][];
      const after = parse(await download(k.file)) as string[][];
      const withoutCode = (rows: string[][]) => rows.slice(1).map((r) => JSON.stringify(r.slice(1).map((c) => c.replace(/"id":"[0-9a-f-]{36}",?/g, '')))).sort();
      // Every original row is there twice now: the original and its re-imported copy.
      const expected = [...withoutCode(original), ...withoutCode(original)].sort();
      expect(withoutCode(after)).toEqual(expected);
    }

    const again = t.http.post('/api/v1/imports').set('authorization', t.admin).field('mapping', 'catalogue-native');
    again.attach('file', Buffer.from(withNew), 'datasets.csv');
    const second = await again;
    expect(second.body.totals).toMatchObject({ created: 0, updated: 0, failed: 0 });
  });

  it('answers 404 problem+json for an unknown export', async () => {
    expectProblem(await t.http.get('/api/v1/exports/people.csv'), 404, 'EXPORT_NOT_FOUND');
    // Names found on Object.prototype are no export either (they were a 500: found by a new-user check).
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) expectProblem(await t.http.get(`/api/v1/exports/${name}`), 404, 'EXPORT_NOT_FOUND');
  });
});
