import { readFileSync } from 'node:fs';
import { Parser } from 'n3';
import { sharedData, startTestApp, TestApp, databaseLabel } from './helpers/test-app';
import { expectFieldError, expectProblem } from './problem-expect';

const orgFile = sharedData('uk-api-catalogue/organisation.csv');
const apiFile = sharedData('uk-api-catalogue/catalogue.csv');
const withUk = orgFile && apiFile ? describe : describe.skip;

function upload(t: TestApp, files: { name: string; content: Buffer | string }[], fields: Record<string, string>) {
  let req = t.http.post('/api/v1/imports').set('authorization', t.admin);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  for (const f of files) req = req.attach('file', Buffer.from(f.content), f.name);
  return req;
}

withUk(`import of the UK API catalogue (${databaseLabel})`, () => {
  let t: TestApp;
  const files = () => [
    { name: 'organisation.csv', content: readFileSync(orgFile!) },
    { name: 'catalogue.csv', content: readFileSync(apiFile!) },
  ];
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('a dry run reports what would happen and writes nothing', async () => {
    const res = await upload(t, files(), { mapping: 'uk-api-catalogue', dryRun: 'true', publish: 'true' });
    expect(res.status).toBe(200);
    expect(res.body.dryRun).toBe(true);
    expect(res.body.totals).toMatchObject({ created: 265, failed: 0 });
    const orgs = await t.http.get('/api/v1/organisations');
    expect(orgs.body.total).toBe(0);
  });

  it('creates all 34 organisations and 231 systems, 0 failed, messy cells as warnings', async () => {
    const res = await upload(t, files(), { mapping: 'uk-api-catalogue', publish: 'true' });
    expect(res.status).toBe(200);
    const [orgs, apis] = res.body.tables;
    expect(orgs).toMatchObject({ table: 'organisations', rows: 34, created: 34, failed: 0 });
    expect(apis).toMatchObject({ table: 'apis', target: 'system', rows: 231, created: 231, failed: 0 });
    const warnings = res.body.issues.filter((i: { status: string }) => i.status === 'warning');
    expect(warnings.length).toBe(res.body.totals.warnings);
    // "in service" and "2023-31-01" are not dates: warnings naming the row and column, never failures.
    const startDate = warnings.filter((w: { column: string }) => w.column === 'startDate');
    expect(startDate.map((w: { message: string }) => w.message).join(' ')).toMatch(/in service/);
    expect(startDate.map((w: { message: string }) => w.message).join(' ')).toMatch(/2023-31-01/);
    for (const w of startDate) expect(w.row).toBeGreaterThan(1);
    // A bare host name as website: kept with https:// and reported.
    expect(warnings.some((w: { column: string; message: string }) => w.column === 'url' && /assumed https/.test(w.message))).toBe(true);

    const list = await t.http.get('/api/v1/systems?limit=1');
    expect(list.body.total).toBe(231);
    const orgList = await t.http.get('/api/v1/organisations?limit=1');
    expect(orgList.body.total).toBe(34);
  });

  it('keeps a bad date in notes and maps a valid one to inProductionSince', async () => {
    const res = await t.http.get('/api/v1/systems?q=' + encodeURIComponent('Bank Holidays') + '&limit=1');
    const bank = res.body.items[0];
    expect(bank.name).toBe('Bank Holidays');
    expect(bank.interfaces[0]).toMatchObject({ type: 'REST', baseUrl: 'https://www.gov.uk/bank-holidays.json' });
    expect(bank.owner.code).toBe('government-digital-service');
    expect(bank.lifecycleStatus).toBe('published');
    const all = await t.http.get('/api/v1/systems?limit=100&q=service');
    expect(all.status).toBe(200);
    const noted = await t.dataSource.query(`SELECT details->>'notes' AS notes FROM catalogue_entries WHERE details->>'notes' LIKE '%in service%'`);
    expect(noted.length).toBe(2);
    const dated = await t.dataSource.query(`SELECT count(*)::int AS n FROM catalogue_entries WHERE details->>'inProductionSince' = '2020-07-01'`);
    expect(dated[0].n).toBe(8);
  });

  it('exports the imported catalogue as DCAT-AP: Turtle parses, JSON-LD answers 200, templated URLs percent-encoded', async () => {
    // The Land Registry row's base URL carries a path template, {title_number}, which an IRI may not hold raw.
    const stored = 'https://businessgateway.landregistry.gov.uk/bg2/api/v2/titles/{title_number}/official-copies/availability';
    const endpoint = stored.replace('{', '%7B').replace('}', '%7D');
    const ttl = await t.http.get('/api/v1/exports/dcat-ap').set('accept', 'text/turtle');
    expect(ttl.status).toBe(200);
    expect(new Parser().parse(ttl.text).some((q) => q.object.value === endpoint)).toBe(true);
    const json = await t.http.get('/api/v1/exports/dcat-ap').set('accept', 'application/ld+json');
    expect(json.status).toBe(200);
    expect(json.text).toContain(endpoint);
    const found = await t.dataSource.query(`SELECT count(*)::int AS n FROM catalogue_entries WHERE details::text LIKE $1`, [`%${stored}%`]);
    expect(found[0].n).toBe(1);
  });

  it('re-importing the same files creates and updates nothing', async () => {
    const res = await upload(t, files(), { mapping: 'uk-api-catalogue', publish: 'true' });
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ rows: 265, created: 0, updated: 0, unchanged: 265, failed: 0 });
    const list = await t.http.get('/api/v1/systems?limit=1');
    expect(list.body.total).toBe(231);
  });

  it('a re-import keeps what people added to an entry outside the mapped columns, and still reports it unchanged', async () => {
    // Found by a new-user check: themes, links and the legal basis added through the API were cleared by the next import of the same file.
    const code = (await t.http.get('/api/v1/search').query({ q: 'Bank Holidays' })).body.items[0].code as string;
    const added = { themes: ['HEAL'], links: [{ url: 'https://example.org/doc', type: 'documentation' }], legalBasis: [{ title: 'Act 2020' }] };
    const patched = await t.http.patch(`/api/v1/systems/${code}`).set('authorization', t.admin).set('if-match', '*').send(added);
    expect({ status: patched.status, body: patched.status === 200 ? null : patched.body }).toEqual({ status: 200, body: null });
    const res = await upload(t, files(), { mapping: 'uk-api-catalogue', publish: 'true' });
    expect(res.body.totals).toMatchObject({ rows: 265, created: 0, updated: 0, unchanged: 265, failed: 0 });
    const after = (await t.http.get(`/api/v1/systems/${code}`)).body;
    expect(after).toMatchObject({ themes: ['HEAL'], links: [expect.objectContaining({ url: 'https://example.org/doc' })], legalBasis: [expect.objectContaining({ title: 'Act 2020' })] });
    expect(after.version).toBe(patched.body.version);
    // A mapped column still wins: the file's description comes back over an edited one.
    const described = await t.http.patch(`/api/v1/systems/${code}`).set('authorization', t.admin).set('if-match', '*').send({ description: 'Edited by hand' });
    expect(described.status).toBe(200);
    const again = await upload(t, files(), { mapping: 'uk-api-catalogue', publish: 'true' });
    expect(again.body.totals).toMatchObject({ updated: 1, unchanged: 264, failed: 0 });
    const restored = (await t.http.get(`/api/v1/systems/${code}`)).body;
    expect(restored.description).not.toBe('Edited by hand');
    expect(restored.themes).toEqual(['HEAL']);
  });

  it.each([
    ['bank holidays', ['Bank Holidays'], 1],
    ['companies house', ['Companies House', 'Companies House Streaming'], 3],
    ['vehicle enquiry', ['DVLA Vehicle Enquiry Service'], 1],
    ['notify', ['GOV.UK Notify'], 3],
  ])('search %j finds %j in the top %d', async (q, names, top) => {
    const res = await t.http.get(`/api/v1/search?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    const got = res.body.items.slice(0, top).map((i: { name: string }) => i.name);
    for (const n of names) expect(got).toContain(n);
  });

  it('search "ordnance surv" (prefix) puts an Ordnance Survey API first', async () => {
    const res = await t.http.get(`/api/v1/search?q=${encodeURIComponent('ordnance surv')}`);
    expect(res.body.items[0].name).toMatch(/^(Ordnance Survey|OS )/);
    expect(res.body.facets.kind.systems).toBe(res.body.total);
  });
});

describe(`import input errors (${databaseLabel})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const orgCsv = 'id,name,alternateName,url\nagency-a,Agency A,AA,https://a.example\n';

  it('refuses an import without a key (401 problem+json)', async () => {
    const res = await t.http.post('/api/v1/imports').attach('file', Buffer.from(orgCsv), 'o.csv').field('mapping', 'uk-api-catalogue');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('refuses a form field given twice (dryRun=true and dryRun=false), writing nothing', async () => {
    // Found by a new-user check: the last value won and the "dry run" wrote for real.
    const res = await t.http
      .post('/api/v1/imports')
      .set('authorization', t.admin)
      .field('mapping', 'uk-api-catalogue')
      .field('dryRun', 'true')
      .field('dryRun', 'false')
      .attach('file', Buffer.from('id,name,alternateName,url\ntwice-org,Twice Org,,\n'), { filename: 'organisation.csv', contentType: 'text/csv' });
    expectFieldError(res, 'dryRun');
    expect(JSON.stringify(res.body.errors)).toContain('given once');
    expect((await t.http.get('/api/v1/organisations/twice-org')).status).toBe(404);
  });

  it('refuses an upload of more than 20 files with 413 naming the limit, writing nothing', async () => {
    // Found by a new-user check: TOO_MANY_FILES said only "reach files limit".
    const files = Array.from({ length: 21 }, (_, i) => ({ name: `o${i}.csv`, content: `id,name,alternateName,url\nmany-${i},Many ${i},,\n` }));
    const res = await upload(t, files, { mapping: 'uk-api-catalogue' });
    expectProblem(res, 413, 'TOO_MANY_FILES');
    expect(res.body.detail).toMatch(/at most 20 files/);
    expect((await t.http.get('/api/v1/organisations/many-0')).status).toBe(404);
  });

  it('refuses a form field named like an Object.prototype member as an unknown part, naming the parts it expects', async () => {
    // Found by a new-user check: the multipart plugin's refusal came through as a generic BAD_REQUEST.
    for (const name of ['constructor', '__proto__']) {
      const res = await t.http
        .post('/api/v1/imports')
        .set('authorization', t.admin)
        .field('mapping', 'uk-api-catalogue')
        .field(name, 'x')
        .attach('file', Buffer.from('id,name,alternateName,url\nproto-org,Proto Org,,\n'), { filename: 'organisation.csv', contentType: 'text/csv' });
      expectProblem(res, 400, 'UNKNOWN_PART');
      expect(res.body.detail).toMatch(/reserved name; expected file, mapping/);
    }
    expect((await t.http.get('/api/v1/organisations/proto-org')).status).toBe(404);
  });

  it('refuses a body that is not multipart', async () => {
    const res = await t.http.post('/api/v1/imports').set('authorization', t.admin).send({ mapping: 'x' });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('NOT_MULTIPART');
  });

  it.each(['/api/v1/imports', '/api/v1/xroad/imports'])('answers a multipart body it cannot parse on %s with 400 MULTIPART_MALFORMED, and writes nothing', async (path) => {
    const send = (contentType: string, body: string) => t.http.post(path).set('authorization', t.admin).set('content-type', contentType).send(body);
    const part = (name: string, extra = '') => `--x\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n\r\n`;
    // No boundary parameter ("Boundary not found").
    expectProblem(await send('multipart/form-data', `${part('file')}abc`), 400, 'MULTIPART_MALFORMED');
    // A file part cut short, without its closing boundary ("Part terminated early").
    expectProblem(await send('multipart/form-data; boundary=x', `${part('file', '; filename="a.csv"')}${orgCsv}`), 400, 'MULTIPART_MALFORMED');
    expect((await t.http.get('/api/v1/organisations')).body.total).toBe(0);
  });

  it('names an unknown preset', async () => {
    const res = await upload(t, [{ name: 'o.csv', content: orgCsv }], { mapping: 'nope' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MAPPING_UNKNOWN');
    // JSON that is no object is a mapping sent wrong, not a preset's name (found by a new-user check).
    for (const mapping of ['[1,2]', '"x"', 'null', '42']) {
      const wrong = await upload(t, [{ name: 'o.csv', content: orgCsv }], { mapping });
      expect([mapping, wrong.status, wrong.body.code]).toEqual([mapping, 400, 'MAPPING_INVALID']);
    }
  });

  it('names each problem of an invalid mapping', async () => {
    const mapping = JSON.stringify({ name: 'bad', tables: [{ name: 't', target: 'spaceship', detect: [], match: ['x'], fields: { name: { column: 'a', transform: 'rot13' } } }] });
    const res = await upload(t, [{ name: 'o.csv', content: orgCsv }], { mapping });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MAPPING_INVALID');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['tables.0.target', 'tables.0.detect', 'tables.0.fields.name.transform', 'tables.0.match']));
  });

  it('refuses a mapping whose field path the target does not have, naming the table, the path and the fields, before reading any row', async () => {
    // Found by a new-user check: the mapping passed, then every row of its table failed.
    const mapping = JSON.stringify({
      name: 'typo',
      tables: [
        { name: 'agencies', target: 'organisation', detect: ['id', 'name'], match: ['code'], fields: { code: { column: 'id', required: true }, name: 'name' } },
        { name: 'apis', target: 'system', detect: ['api', 'url'], match: ['name'], fields: { name: { column: 'api', required: true }, 'interfaces.0.baseURL': 'url' } },
      ],
    });
    const res = await upload(t, [{ name: 'organisation.csv', content: 'id,name\ntypo-org,Typo Org\n' }], { mapping });
    const body = expectProblem(res, 400, 'MAPPING_INVALID');
    expect(body.errors).toEqual([{ field: 'tables.1.fields.interfaces.0.baseURL', message: expect.stringMatching(/^table "apis": a system has no field "baseURL" in interfaces\.0; the fields there are .*\bbaseUrl\b/) }]);
    expect((await t.http.get('/api/v1/organisations/typo-org')).status).toBe(404);
  });

  (apiFile && orgFile ? it : it.skip).each([
    ['catalogue.csv', 'system', 'name.x'],
    ['catalogue.csv', 'system', 'owner.x'],
    ['organisation.csv', 'organisation', 'name.x'],
  ])('refuses a mapping that goes below a single value (%s, %s, %s) with 400 MAPPING_INVALID, not a 500, writing nothing', async (file, target, path) => {
    // Found by a new-user check: "name.x" beside "name" answered 500 (Cannot create property 'x' on string), the log quoting cells.
    const fields = target === 'system' ? { name: 'name', owner: 'provider', [path]: 'url' } : { code: 'id', name: 'name', [path]: 'url' };
    const mapping = JSON.stringify({ name: 'below', tables: [{ name: 't', target, detect: ['name', 'url'], match: ['name'], fields }] });
    const content = readFileSync(file === 'catalogue.csv' ? apiFile! : orgFile!);
    const body = expectProblem(await upload(t, [{ name: file, content }], { mapping, dryRun: 'true' }), 400, 'MAPPING_INVALID');
    expect(body.errors).toEqual([{ field: `tables.0.fields.${path}`, message: `table "t": ${path.split('.')[0]} holds a single value, so it has no field "x"` }]);
    expect((await t.http.get('/api/v1/organisations')).body.total).toBe(0);
  });

  it('takes a mapped column named like an Object.prototype member that the file lacks as empty, not a 500', async () => {
    // Found by a new-user check: the row's cells looked `constructor` up on Object.prototype (a function: .trim is not a function).
    const mapping = JSON.stringify({
      name: 'proto-columns',
      tables: [{ name: 'apis', target: 'system', detect: ['name'], match: ['name'], fields: { name: 'name', description: { column: 'constructor' }, notes: { template: 'see {toString}' } } }],
    });
    const res = await upload(t, [{ name: 'a.csv', content: 'name\nPrototype column\n' }], { mapping, dryRun: 'true' });
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ rows: 1, created: 1, failed: 0 });
  });

  it('refuses a column of text mapped onto a list of objects or an object, before reading any row', async () => {
    const mapping = JSON.stringify({
      name: 'shapes',
      tables: [{ name: 'apis', target: 'system', detect: ['name'], match: ['name'], fields: { name: 'name', interfaces: 'url', 'contacts.0': 'maintainer', 'interfaces.0.endpoints.0.method.x': 'm' } }],
    });
    const body = expectProblem(await upload(t, [{ name: 'a.csv', content: 'name,url\nA,https://a.example\n' }], { mapping }), 400, 'MAPPING_INVALID');
    expect(body.errors!.map((e) => e.field)).toEqual(['tables.0.fields.interfaces', 'tables.0.fields.contacts.0', 'tables.0.fields.interfaces.0.endpoints.0.method.x']);
    expect(body.errors![0].message).toMatch(/interfaces takes a list of objects, but the text transform gives one value/);
  });

  it('a JSON cell that is not the object another field of the mapping goes below fails its row alone, not a 500', async () => {
    const mapping = JSON.stringify({
      name: 'json-below',
      tables: [{ name: 'apis', target: 'system', detect: ['name', 'interfaces'], match: ['name'], fields: { name: 'name', interfaces: { column: 'interfaces', transform: 'json' }, 'interfaces.0.baseUrl': 'url' } }],
    });
    const csv = 'name,interfaces,url\nText,"""just text""",https://a.example\nList,"[{""name"":""API"",""type"":""REST""}]",https://b.example\n';
    const res = await upload(t, [{ name: 'j.csv', content: csv }], { mapping, dryRun: 'true' });
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ rows: 2, created: 1, failed: 1 });
    expect(res.body.issues).toEqual([expect.objectContaining({ row: 2, status: 'failed', field: 'interfaces.0.baseUrl', message: 'interfaces.0.baseUrl cannot be set: interfaces holds a value that is not an object or list' })]);
  });

  it('counts a row that fails for several reasons once in failed, and lists every reason in issues', async () => {
    // Found by a new-user check: one row with NUL in its name and description reported "rows 2, created 1, failed 3".
    const csv = 'url,name,description,provider,maintainer\nhttps://a.example,Good API,Fine,nobody,\nhttps://b.example,Bad\u0000 API,Also\u0000 bad,nobody,\n';
    const res = await upload(t, [{ name: 'catalogue.csv', content: csv }], { mapping: 'uk-api-catalogue', dryRun: 'true' });
    expect(res.status).toBe(200);
    expect(res.body.tables[0]).toMatchObject({ rows: 2, created: 1, updated: 0, unchanged: 0, failed: 1 });
    const failed = res.body.issues.filter((i: { status: string }) => i.status === 'failed');
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(new Set(failed.map((i: { row: number }) => i.row))).toEqual(new Set([3]));
    expect(failed.map((i: { field: string }) => i.field)).toEqual(expect.arrayContaining(['name', 'description']));
    expect(res.body.totals.warnings).toBe(res.body.issues.length - failed.length);
  });

  (apiFile ? it : it.skip)('counts failed rows, not failed fields, on the real UK catalogue (two bad fields a row)', async () => {
    const mapping = JSON.stringify({
      name: 'status-from-url',
      tables: [{ name: 'apis', target: 'system', detect: ['url', 'name', 'provider'], match: ['name'], fields: { name: { column: 'name', required: true }, personalData: 'url', operationalStatus: 'url' } }],
    });
    const res = await upload(t, [{ name: 'catalogue.csv', content: readFileSync(apiFile!) }], { mapping, dryRun: 'true' });
    expect(res.status).toBe(200);
    const { rows, created, updated, unchanged, failed } = res.body.totals;
    expect(res.body.totals).toMatchObject({ rows: 231, created: 11, failed: 220 });
    expect(created + updated + unchanged + failed).toBe(rows);
    const failedIssues = res.body.issues.filter((i: { status: string }) => i.status === 'failed');
    expect(failed).toBe(new Set(failedIssues.map((i: { row: number }) => i.row)).size);
    expect(failedIssues.length).toBe(2 * failed);
  });

  it('rejects malformed CSV with the line, and writes nothing', async () => {
    const res = await upload(t, [{ name: 'bad.csv', content: 'id,name,alternateName,url\n"unterminated,x,y,z\n' }], { mapping: 'uk-api-catalogue' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('CSV_MALFORMED');
    expect((await t.http.get('/api/v1/organisations')).body.total).toBe(0);
  });

  it('rejects a header that names a column twice, naming it and both positions, and writes nothing', async () => {
    // Found by a new-user check: the second "name" column silently won.
    const csv = 'url,name,description,provider,maintainer,name\nhttps://a.example,First,Fine,nobody,,Second\n';
    const res = await upload(t, [{ name: 'twice.csv', content: csv }], { mapping: 'uk-api-catalogue' });
    expectProblem(res, 400, 'CSV_HEADER_DUPLICATE');
    expect(res.body.detail).toMatch(/twice\.csv.*"name" twice \(columns 2 and 6\)/);
    expect((await t.http.get('/api/v1/systems').set('authorization', t.admin)).body.total).toBe(0);
    // Unnamed columns (trailing commas) may repeat.
    const trailing = 'url,name,description,provider,maintainer,,\nhttps://a.example,First,Fine,nobody,,,\n';
    const ok = await upload(t, [{ name: 'trailing.csv', content: trailing }], { mapping: 'uk-api-catalogue', dryRun: 'true' });
    expect(ok.status).toBe(200);
    expect(ok.body.totals).toMatchObject({ rows: 1, created: 1, failed: 0 });
  });

  it('rejects a file whose header matches no table', async () => {
    const res = await upload(t, [{ name: 'x.csv', content: 'a,b\n1,2\n' }], { mapping: 'uk-api-catalogue' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('CSV_UNRECOGNISED');
    expect(res.body.detail).toMatch(/x\.csv/);
  });

  it('a bad row fails alone, with its row number, column and reason', async () => {
    const mapping = JSON.stringify({
      name: 'custom',
      tables: [
        {
          name: 'datasets',
          target: 'dataset',
          detect: ['title'],
          match: ['name'],
          fields: { name: { column: 'title', required: true }, accessRights: 'access', 'distributions.0.title': { template: '{title}' }, 'distributions.0.downloadUrl': 'link' },
        },
      ],
    });
    const csv = 'title,access,link\nGood one,public,https://x.example/a.csv\nBad access,secret,\n,public,\nBad link,public,ftp://x\nGood two,restricted,\nGood one,public,\n';
    const res = await upload(t, [{ name: 'd.csv', content: csv }], { mapping });
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ rows: 6, created: 2, failed: 4 });
    const byRow = Object.fromEntries(res.body.issues.map((i: { row: number }) => [i.row, i]));
    expect(byRow[3]).toMatchObject({ status: 'failed', column: 'access', field: 'accessRights' });
    expect(byRow[4]).toMatchObject({ status: 'failed', column: 'title' });
    expect(byRow[5]).toMatchObject({ status: 'failed', column: 'link' });
    expect(byRow[7].message).toMatch(/row 2/);
    const list = await t.http.get('/api/v1/datasets?lifecycleStatus=draft').set('authorization', t.admin);
    expect(list.body.items.map((d: { name: string }) => d.name).sort()).toEqual(['Good one', 'Good two']);
  });

  it('imports a file of more rows than one write batch: codes follow the rows, issues come in row order, bad rows fail alone, and a second run changes nothing', async () => {
    const mapping = JSON.stringify({
      name: 'many',
      tables: [{ name: 'services', target: 'eservice', detect: ['service', 'agency'], match: ['name'], fields: { name: { column: 'service', required: true }, owner: 'agency', audience: { column: 'audience', transform: 'list', options: { separator: '|' } } } }],
    });
    await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'BATCH', name: 'Agence des lots' });
    const lines = ['service,agency,audience'];
    for (let i = 1; i <= 1201; i++) {
      const bad = i % 400 === 0; // rows 401, 801 and 1201 of the file: an audience that does not exist
      const unknownOwner = i === 1000;
      lines.push(`Service en ligne ${String(i).padStart(4, '0')},${unknownOwner ? 'NOPE' : 'batch'},${bad ? 'martians' : 'citizens'}`);
    }
    const csv = lines.join('\n') + '\n';
    const first = await upload(t, [{ name: 'many.csv', content: csv }], { mapping });
    expect(first.status).toBe(200);
    expect(first.body.totals).toMatchObject({ rows: 1201, created: 1198, updated: 0, failed: 3, warnings: 1 });
    const rows = first.body.issues.map((i: { row: number }) => i.row);
    expect(rows).toEqual([401, 801, 1001, 1201]);
    expect(first.body.issues[2]).toMatchObject({ status: 'warning', field: 'owner' });
    expect(first.body.issues[0]).toMatchObject({ status: 'failed', column: 'audience' });

    const page = await t.http.get('/api/v1/eservices?owner=BATCH&sort=name&limit=3').set('authorization', t.admin);
    expect(page.body.total).toBe(1197);
    const codes = page.body.items.map((e: { code: string }) => Number(e.code.slice(2)));
    expect(codes[1]).toBe(codes[0] + 1);
    expect(codes[2]).toBe(codes[1] + 1);
    const history = await t.http.get(`/api/v1/eservices/${page.body.items[0].code}/history`).set('authorization', t.admin);
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual(['create']);
    const unclaimed = await t.http.get('/api/v1/search?q=%22Service%20en%20ligne%201000%22').set('authorization', t.admin);
    expect(unclaimed.body.items[0]).toMatchObject({ name: 'Service en ligne 1000' });
    expect(unclaimed.body.items[0].ownerCode ?? null).toBeNull();

    const second = await upload(t, [{ name: 'many.csv', content: csv }], { mapping });
    expect(second.body.totals).toMatchObject({ rows: 1201, created: 0, updated: 0, unchanged: 1198, failed: 3 });
  });

  it('refuses a CSV file that is not UTF-8, naming the line, and writes nothing', async () => {
    const latin1 = Buffer.concat([Buffer.from('id,name,acronym,website\nzz-ok,Agence,ZO,\n'), Buffer.from([0x7a, 0x7a, 0x2d, 0x6c, 0x2c, 0x43, 0x61, 0x66, 0xe9, 0x2c, 0x5a, 0x4c, 0x2c, 0x0a])]);
    const res = await upload(t, [{ name: 'organisation.csv', content: latin1 }], { mapping: 'uk-api-catalogue' });
    expectProblem(res, 400, 'CSV_NOT_UTF8');
    expect(res.body.detail).toMatch(/organisation\.csv .*line 3/);
    expect(res.body.detail).not.toMatch(/[\u00e9\ufffd]/);
    expect((await t.http.get('/api/v1/organisations/zz-ok')).status).toBe(404);
  });

  it('a JSON cell nested too deep is a warning on its row, not a 500', async () => {
    const mapping = JSON.stringify({
      name: 'deep',
      tables: [{ name: 'systems', target: 'system', detect: ['name', 'interfaces'], match: ['name'], fields: { name: { column: 'name', required: true }, interfaces: { column: 'interfaces', transform: 'json' } } }],
    });
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const csv = `name,interfaces\nProfond,"${deep}"\nNormal,"[{""name"":""API"",""type"":""REST""}]"\n`;
    const res = await upload(t, [{ name: 'deep.csv', content: csv }], { mapping, dryRun: 'true' });
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ rows: 2, created: 2, failed: 0, warnings: 1 });
    expect(res.body.issues[0]).toMatchObject({ row: 2, status: 'warning', column: 'interfaces' });
    expect(res.body.issues[0].message).toMatch(/nested more than 32 levels/);
  });
  it('refuses a mapping whose field path or keys use a reserved name (constructor, toString), naming them, before reading any row', async () => {
    const mapping = JSON.stringify({
      name: 'reserved',
      tables: [{ name: 'apis', target: 'system', detect: ['name'], match: ['name'], fields: { name: 'name', 'translations.constructor.name': 'name' } }],
    });
    const body = expectProblem(await upload(t, [{ name: 'a.csv', content: 'name\nA\n' }], { mapping }), 400, 'MAPPING_INVALID');
    expect(body.errors).toEqual([{ field: 'tables.0.fields.translations.constructor.name', message: expect.stringMatching(/"constructor" is a reserved name/) }]);
    const keyed = expectProblem(await upload(t, [{ name: 'a.csv', content: 'name\nA\n' }], { mapping: mapping.replace('"fields":{', '"fields":{"toString":"name",') }), 400, 'MAPPING_INVALID');
    expect(keyed.errors).toEqual([{ field: 'tables.0.fields.toString', message: expect.stringMatching(/reserved name/) }]);
  });

  it('a JSON cell with a reserved key fails its row alone, naming the field and column (was a 500 for the whole import)', async () => {
    const mapping = JSON.stringify({
      name: 'json-reserved',
      tables: [{ name: 'apis', target: 'system', detect: ['name', 'tr'], match: ['name'], fields: { name: 'name', translations: { column: 'tr', transform: 'json' } } }],
    });
    const csv = 'name,tr\nBad,"{""constructor"":{""name"":""x""}}"\nAlso bad,"{""en"":{""valueOf"":""x""}}"\nGood,"{""en"":{""name"":""Good""}}"\n';
    const res = await upload(t, [{ name: 'j.csv', content: csv }], { mapping, dryRun: 'true' });
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ rows: 3, created: 1, failed: 2 });
    expect(res.body.issues).toEqual([
      expect.objectContaining({ row: 2, status: 'failed', field: 'translations.constructor', column: 'tr', message: expect.stringMatching(/reserved name/) }),
      expect.objectContaining({ row: 3, status: 'failed', field: 'translations.en.valueOf', column: 'tr' }),
    ]);
  });

  it('closes up list items a mapping leaves empty (interfaces.1 without interfaces.0, tags.2), in order: no 500', async () => {
    const mapping = JSON.stringify({
      name: 'gaps',
      tables: [{
        name: 'apis', target: 'system', detect: ['api_name', 'url1', 'url2'], match: ['name'],
        fields: {
          name: 'api_name',
          'interfaces.0.name': 'url1', 'interfaces.0.type': 'type1', 'interfaces.0.baseUrl': { column: 'url1', transform: 'url' },
          'interfaces.1.name': 'url2', 'interfaces.1.type': 'type2', 'interfaces.1.baseUrl': { column: 'url2', transform: 'url' },
          'tags.0': 'tag0', 'tags.2': 'tag2',
          'contacts.1.email': 'mail', 'contacts.1.role': 'role',
        },
      }],
    });
    const csv = 'api_name,url1,type1,url2,type2,tag0,tag2,mail,role\nAlpha,https://a.example,REST,https://b.example,SOAP,x,y,,\nBeta,,,https://c.example,REST,,z,team@c.example,maintainer\n';
    const res = await upload(t, [{ name: 'gaps.csv', content: csv }], { mapping });
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ rows: 2, created: 2, failed: 0 });
    const beta = (await t.http.get('/api/v1/systems?q=Beta').set('authorization', t.admin)).body.items[0];
    const full = (await t.http.get(`/api/v1/systems/${beta.code}`).set('authorization', t.admin)).body;
    expect(full.interfaces.map((i: { baseUrl: string }) => i.baseUrl)).toEqual(['https://c.example']);
    expect(full.tags).toEqual(['z']);
    expect(full.contacts).toEqual([expect.objectContaining({ email: 'team@c.example' })]);
    const alpha = (await t.http.get('/api/v1/systems?q=Alpha').set('authorization', t.admin)).body.items[0];
    const first = (await t.http.get(`/api/v1/systems/${alpha.code}`).set('authorization', t.admin)).body;
    expect(first.interfaces.map((i: { baseUrl: string }) => i.baseUrl)).toEqual(['https://a.example', 'https://b.example']);
    expect(first.tags).toEqual(['x', 'y']);
  });

  it("the mapping of the new-user check (only interfaces.N.baseUrl, url1 empty) reports rows, not a 500", async () => {
    const mapping = JSON.stringify({
      name: 'gaps-bare',
      tables: [{ name: 'apis', target: 'system', detect: ['api_name'], match: ['name'], fields: { name: 'api_name', 'interfaces.0.baseUrl': { column: 'url1', transform: 'url' }, 'interfaces.1.baseUrl': { column: 'url2', transform: 'url' } } }],
    });
    const csv = 'api_name,url1,url2\nAlpha,https://a.example,https://b.example\nBeta,,https://c.example\n';
    const res = await upload(t, [{ name: 'gaps.csv', content: csv }], { mapping, dryRun: 'true' });
    expect(res.status).toBe(200);
    const { rows, created, failed } = res.body.totals;
    expect(rows).toBe(2);
    expect(created + failed).toBe(2);
    // Beta's one interface is its item 0 now.
    for (const i of res.body.issues.filter((x: { row: number }) => x.row === 3)) expect(i.field ?? '').not.toMatch(/^interfaces\.1/);
  });

  it("lists and counts a failed row's warnings too (they vanished from issues and warnings)", async () => {
    const mapping = JSON.stringify({
      name: 'failed-warnings',
      tables: [{ name: 'apis', target: 'system', detect: ['name', 'start', 'status'], match: ['name'], fields: { name: { column: 'name', required: true }, inProductionSince: { column: 'start', transform: 'date' }, operationalStatus: 'status' } }],
    });
    // Row 2 fails building its document (no name), row 3 validation (a status outside the list), row 5 as a duplicate of row 4, which imports.
    const csv = 'name,start,status\n,in service,in_production\nInvalid,not yet,bogus\nGood,soon,in_production\nGood,later,in_production\n';
    const res = await upload(t, [{ name: 'w.csv', content: csv }], { mapping, dryRun: 'true' });
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ rows: 4, created: 1, failed: 3, warnings: 4 });
    const warnings = res.body.issues.filter((i: { status: string }) => i.status === 'warning');
    expect(warnings.map((w: { row: number }) => w.row)).toEqual([2, 3, 4, 5]);
    for (const w of warnings) expect(w).toMatchObject({ column: 'start', field: 'inProductionSince' });
  });
});
