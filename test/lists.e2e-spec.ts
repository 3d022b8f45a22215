import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';
import { expectFieldError, expectProblem } from './problem-expect';

interface DemoEntry {
  key: string;
  name: string;
  owner: string;
  operationalStatus: string;
  tags: string[];
  themes: string[];
}
const demo = JSON.parse(readFileSync(join(__dirname, '../src/seed/demo-catalogue.json'), 'utf8')) as {
  organisations: { code: string }[];
  systems: DemoEntry[];
  datasets: DemoEntry[];
  eservices: DemoEntry[];
};

type Item = { code: string; name: string; owner: { code: string } | null; updatedAt: string; lifecycleStatus: string; operationalStatus: string; tags: string[]; themes: string[] };

/** The documented sort key: lower case, accents removed. */
const key = (name: string) => name.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().trim();
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const names = (items: Item[]) => items.map((i) => i.name);
const sorted = (values: string[]) => [...values].sort();

describe(`lists on the demo catalogue (${databaseLabel})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(async () => t?.close());

  const list = async (path: string, qs = ''): Promise<{ items: Item[]; total: number; limit: number; offset: number }> => {
    const res = await t.http.get(`/api/v1/${path}${qs ? `?${qs}` : ''}`);
    if (res.status !== 200) throw new Error(`${path}?${qs}: ${res.status} ${res.text}`);
    return res.body;
  };
  /** Every item matching qs, fetched in one page (there are at most 40 of a kind). */
  const all = async (path: string, qs = '') => {
    const page = await list(path, `limit=100${qs ? `&${qs}` : ''}`);
    expect(page.items).toHaveLength(page.total);
    return page.items;
  };

  it('holds the whole demo catalogue, published, for anonymous callers', async () => {
    expect((await t.http.get('/api/v1/organisations?limit=100')).body.total).toBe(demo.organisations.length);
    for (const path of ['systems', 'datasets', 'eservices'] as const) {
      const page = await list(path);
      expect(page).toMatchObject({ total: demo[path].length, limit: 20, offset: 0 });
      expect(page.items).toHaveLength(20);
      const items = await all(path);
      expect(sorted(names(items))).toEqual(sorted(demo[path].map((e) => e.name)));
      expect(items.every((i) => i.lifecycleStatus === 'published')).toBe(true);
    }
    expect(demo.systems).toHaveLength(40);
    expect(demo.datasets).toHaveLength(30);
    expect(demo.eservices).toHaveLength(40);
  });

  describe('filters', () => {
    it.each([
      ['systems', 'ANATT'],
      ['systems', 'MINSANTE'],
      ['datasets', 'MINFIN'],
      ['eservices', 'CKV'],
      ['eservices', 'APDP'],
    ] as const)('%s?owner=%s lists exactly that owner’s entries', async (path, owner) => {
      const expected = demo[path].filter((e) => e.owner === owner).map((e) => e.name);
      expect(expected.length).toBeGreaterThan(0);
      const items = await all(path, `owner=${owner}`);
      expect(sorted(names(items))).toEqual(sorted(expected));
      expect(items.every((i) => i.owner?.code === owner)).toBe(true);
    });

    it('matches the owner code without regard to case, and an unknown owner lists nothing', async () => {
      expect(sorted(names(await all('systems', 'owner=anatt')))).toEqual(sorted(names(await all('systems', 'owner=ANATT'))));
      expect(await list('systems', 'owner=NOBODY')).toMatchObject({ items: [], total: 0 });
    });

    it.each([
      ['systems', 'in_production'],
      ['systems', 'in_development'],
      ['systems', 'decommissioned'],
      ['systems', 'planned'],
      ['datasets', 'archived'],
      ['datasets', 'active'],
      ['eservices', 'planned'],
      ['eservices', 'suspended'],
    ] as const)('%s?operationalStatus=%s', async (path, status) => {
      const expected = demo[path].filter((e) => e.operationalStatus === status).map((e) => e.name);
      const items = await all(path, `operationalStatus=${status}`);
      expect(sorted(names(items))).toEqual(sorted(expected));
      expect(items.every((i) => i.operationalStatus === status)).toBe(true);
    });

    it('refuses an operational status of another kind with 400', async () => {
      expectFieldError(await t.http.get('/api/v1/systems?operationalStatus=active'), 'operationalStatus');
      expectFieldError(await t.http.get('/api/v1/eservices?operationalStatus=in_production'), 'operationalStatus');
    });

    it.each([
      ['systems', 'registre de base'],
      ['systems', 'carte grise'],
      ['datasets', 'données ouvertes'],
      ['eservices', 'état civil'],
      ['eservices', 'commune'],
    ] as const)('%s?tag=%s matches the whole tag exactly', async (path, tag) => {
      const expected = demo[path].filter((e) => e.tags.includes(tag)).map((e) => e.name);
      expect(expected.length).toBeGreaterThan(0);
      const items = await all(path, `tag=${encodeURIComponent(tag)}`);
      expect(sorted(names(items))).toEqual(sorted(expected));
      expect(items.every((i) => i.tags.includes(tag))).toBe(true);
    });

    it('does not match part of a tag', async () => {
      expect((await list('systems', `tag=${encodeURIComponent('registre')}`)).total).toBe(0);
    });

    it.each([
      ['systems', 'HEAL'],
      ['systems', 'TRAN'],
      ['datasets', 'REGI'],
      ['eservices', 'EDUC'],
      ['eservices', 'ENER'],
    ] as const)('%s?theme=%s', async (path, theme) => {
      const expected = demo[path].filter((e) => e.themes.includes(theme)).map((e) => e.name);
      const items = await all(path, `theme=${theme}`);
      expect(sorted(names(items))).toEqual(sorted(expected));
      expect(items.every((i) => i.themes.includes(theme))).toBe(true);
    });

    it('combines filters with AND', async () => {
      const expected = demo.systems.filter((e) => e.owner === 'MINSANTE' && e.operationalStatus === 'in_production').map((e) => e.name);
      expect(expected.length).toBeGreaterThan(0);
      expect(sorted(names(await all('systems', 'owner=MINSANTE&operationalStatus=in_production')))).toEqual(sorted(expected));
      const tagTheme = demo.datasets.filter((e) => e.tags.includes('données ouvertes') && e.themes.includes('ECON')).map((e) => e.name);
      expect(sorted(names(await all('datasets', `tag=${encodeURIComponent('données ouvertes')}&theme=ECON`)))).toEqual(sorted(tagTheme));
    });

    it('finds entries by words (q), accent-insensitive, and combines q with other filters', async () => {
      const passeports = names(await all('systems', 'q=passeport'));
      expect(passeports).toContain('Système de délivrance des passeports biométriques');
      expect(passeports.length).toBeLessThan(demo.systems.length);
      const foncier = names(await all('datasets', 'q=cadastral'));
      expect(foncier).toContain('Registre foncier et plan cadastral');
      // Accent-insensitive both ways.
      expect(sorted(names(await all('datasets', 'q=donnees')))).toEqual(sorted(names(await all('datasets', `q=${encodeURIComponent('données')}`))));
      expect(names(await all('eservices', `q=${encodeURIComponent('déclaration naissance')}`))).toContain('Déclaration de naissance');
      // q AND owner.
      const anip = await all('datasets', 'q=registre&owner=ANIP');
      expect(names(anip)).toContain('Registre national des personnes physiques');
      expect(anip.every((i) => i.owner?.code === 'ANIP')).toBe(true);
      expect(await list('systems', 'q=zzzzqqqq')).toMatchObject({ items: [], total: 0 });
    });

    it('ranks by relevance by default when q is given: an exact name comes first', async () => {
      const items = await all('datasets', `q=${encodeURIComponent('Casier judiciaire national')}`);
      expect(items[0].name).toBe('Casier judiciaire national');
    });
  });

  describe('sort', () => {
    it('sorts by name by default and with sort=name: case- and accent-insensitive', async () => {
      for (const qs of ['', 'sort=name']) {
        const got = names(await all('systems', qs));
        expect(got).toEqual([...got].sort((a, b) => cmp(key(a), key(b))));
        expect(sorted(got)).toEqual(sorted(demo.systems.map((e) => e.name)));
      }
      const datasets = names(await all('datasets', 'sort=name'));
      expect(datasets).toEqual([...datasets].sort((a, b) => cmp(key(a), key(b))));
      // An accented letter sorts as its plain letter ("Dé" before "Dem"), not after every plain one.
      const eservices = names(await all('eservices', 'sort=name'));
      expect(eservices).toEqual([...eservices].sort((a, b) => cmp(key(a), key(b))));
      expect(eservices.indexOf('Déclaration de naissance')).toBeLessThan(eservices.indexOf("Demande de copie d'acte de naissance"));
    });

    it('sorts by -name in reverse', async () => {
      const got = names(await all('systems', 'sort=-name'));
      expect(got).toEqual([...got].sort((a, b) => cmp(key(b), key(a))));
      expect(got).toEqual(names(await all('systems', 'sort=name')).reverse());
    });

    it('sorts by code and -code', async () => {
      const codes = (await all('systems', 'sort=code')).map((i) => i.code);
      expect(codes).toEqual([...codes].sort());
      expect((await all('systems', 'sort=-code')).map((i) => i.code)).toEqual([...codes].reverse());
    });

    it('sorts by -updatedAt: the entry changed last comes first', async () => {
      const target = (await all('systems', 'sort=name'))[17];
      const before = await all('systems', 'sort=-updatedAt');
      const stamps = before.map((i) => Date.parse(i.updatedAt));
      expect(stamps).toEqual([...stamps].sort((a, b) => b - a));

      const current = await t.http.get(`/api/v1/systems/${target.code}`);
      const patched = await t.http
        .patch(`/api/v1/systems/${target.code}`)
        .set('authorization', t.admin)
        .set('if-match', current.headers.etag)
        .send({ notes: 'Changé pour le test de tri' });
      expect(patched.status).toBe(200);
      const after = await all('systems', 'sort=-updatedAt');
      expect(after[0].code).toBe(target.code);
      expect(after[after.length - 1].code).not.toBe(target.code);
      const asc = await all('systems', 'sort=updatedAt');
      expect(asc[asc.length - 1].code).toBe(target.code);
    });
  });

  describe('paging', () => {
    it.each(['name', '-name', '-updatedAt', 'updatedAt', 'code', 'createdAt', '-createdAt'])(
      'pages through all systems with limit 7 and sort=%s: each exactly once, in the same order as one big page',
      async (sort) => {
        const whole = (await all('systems', `sort=${sort}`)).map((i) => i.code);
        const seen: string[] = [];
        for (let offset = 0; offset < 40; offset += 7) {
          const page = await list('systems', `sort=${sort}&limit=7&offset=${offset}`);
          expect(page).toMatchObject({ total: 40, limit: 7, offset });
          expect(page.items.length).toBe(Math.min(7, 40 - offset));
          seen.push(...page.items.map((i) => i.code));
        }
        expect(seen).toHaveLength(40);
        expect(new Set(seen).size).toBe(40);
        expect(seen).toEqual(whole);
        expect(sorted(seen)).toEqual(sorted((await all('systems')).map((i) => i.code)));
        const past = await list('systems', `sort=${sort}&limit=7&offset=42`);
        expect(past).toMatchObject({ items: [], total: 40 });
      },
    );

    it('pages through the filtered datasets and the q results without gaps', async () => {
      for (const qs of ['theme=REGI', 'q=registre', 'q=donnees&sort=-name']) {
        const whole = (await all('datasets', qs)).map((i) => i.code);
        expect(whole.length).toBeGreaterThan(2);
        const seen: string[] = [];
        for (let offset = 0; offset < whole.length; offset += 2) {
          const page = await list('datasets', `${qs}&limit=2&offset=${offset}`);
          expect(page.total).toBe(whole.length);
          seen.push(...page.items.map((i) => i.code));
        }
        expect(seen).toEqual(whole);
      }
    });

    it('accepts limit 1..100 and refuses more than 100 with 400', async () => {
      expect((await list('systems', 'limit=100')).items).toHaveLength(40);
      expect((await list('systems', 'limit=1')).items).toHaveLength(1);
      expectFieldError(await t.http.get('/api/v1/systems?limit=101'), 'limit');
      expectFieldError(await t.http.get('/api/v1/datasets?limit=1000'), 'limit');
      expectFieldError(await t.http.get('/api/v1/eservices?limit=0'), 'limit');
      expectFieldError(await t.http.get('/api/v1/organisations?limit=101'), 'limit');
      expectProblem(await t.http.get('/api/v1/systems?offset=-1'), 400, 'VALIDATION_FAILED');
    });
  });

  it('leaves a draft out of anonymous lists and totals, but lists it for the admin', async () => {
    const created = await t.http.post('/api/v1/systems').set('authorization', t.admin).send({ name: 'Aaa brouillon en tête', owner: 'ANATT', tags: ['carte grise'] });
    expect(created.status).toBe(201);
    expect((await list('systems')).total).toBe(40);
    expect((await list('systems', 'owner=ANATT')).total).toBe(demo.systems.filter((e) => e.owner === 'ANATT').length);
    expect((await list('systems', `tag=${encodeURIComponent('carte grise')}`)).items.map((i) => i.code)).not.toContain(created.body.code);
    const adminList = await t.http.get('/api/v1/systems?limit=1').set('authorization', t.admin);
    expect(adminList.body.total).toBe(41);
    expect(adminList.body.items[0].code).toBe(created.body.code);
  });
});
