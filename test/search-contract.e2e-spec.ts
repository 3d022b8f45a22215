import { randomBytes } from 'node:crypto';
import { SearchOutboxWorker } from '../src/search/search-outbox.worker';
import { SearchService } from '../src/search/search.service';
import { fold } from '../src/search/text-query';
import { databaseLabel, startTestApp, TestApp } from './helpers/test-app';

/**
 * One contract for every search backend: what a user of /search and /search/suggest may rely on,
 * whichever engine answers. PostgreSQL always runs; Meilisearch runs when MEILI_URL points at a real
 * server (see README, "Search backends"), each test file in its own index.
 */
interface BackendCase {
  name: string;
  env?: NodeJS.ProcessEnv;
  skip?: string;
}

const BACKENDS: BackendCase[] = [
  { name: 'postgres' },
  process.env.MEILI_URL
    ? {
        name: 'meilisearch',
        env: {
          SEARCH_BACKEND: 'meilisearch',
          MEILI_URL: process.env.MEILI_URL,
          MEILI_API_KEY: process.env.MEILI_API_KEY,
          MEILI_INDEX: `contract_${randomBytes(4).toString('hex')}`,
          SEARCH_OUTBOX_WORKER: 'off',
        },
      }
    : { name: 'meilisearch', skip: 'MEILI_URL is not set: the Meilisearch contract runs only against a real server' },
];

const HOSTILE = ['(', ')', '"', "'", '\\', '%', '_', '&', '|', '!', ':*', '<->', 'urn:x:y', 'foo-bar.com', 'EE/GOV/70000310/rr', "l'état (civil) \"x\"", 'a'.repeat(500), 'é'.repeat(300), '\u0000', '\ud800x', '💥 émoji', 'SELECT 1;--'];

for (const backend of BACKENDS) {
  const run = backend.skip ? describe.skip : describe;
  if (backend.skip) console.warn(`search contract on ${backend.name}: skipped (${backend.skip})`);

  run(`search contract: ${backend.name} backend (${databaseLabel})`, () => {
    let t: TestApp;
    /** Lets an external index catch up with the database (no-op on PostgreSQL). */
    const sync = async () => {
      const worker = t.app.get(SearchOutboxWorker);
      for (let i = 0; i < 50; i++) if ((await worker.runOnce()).pushed === 0) break;
    };
    const search = (query: Record<string, unknown>, auth?: string) => {
      const req = t.http.get('/api/v1/search').query(query);
      return auth ? req.set('authorization', auth) : req;
    };

    beforeAll(async () => {
      t = await startTestApp({ seed: true, env: backend.env });
      if (backend.name !== 'postgres') await t.app.get(SearchService).reindex();
      // A draft nobody but its owner and coordinators may see, and two published entries spelled with and without accents.
      const org = await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'SECRETORG', name: 'Secret organisation' });
      expect(org.status).toBe(201);
      const draft = await t.http.post('/api/v1/systems').set('authorization', t.admin).send({ name: 'Zorglub registre confidentiel', owner: 'SECRETORG', tags: ['zorglubtag'], themes: ['ENER'] });
      expect(draft.status).toBe(201);
      for (const name of ['Café des données', 'Cafe numerique']) {
        const created = await t.http.post('/api/v1/datasets').set('authorization', t.admin).send({ name, owner: 'SECRETORG' });
        expect(created.status).toBe(201);
        const moved = await t.http.post(`/api/v1/datasets/${created.body.code}/lifecycle`).set('authorization', t.admin).set('if-match', '"1"').send({ status: 'published' });
        expect(moved.status).toBe(200);
      }
      await sync();
    }, 180_000);
    afterAll(async () => t?.close());

    it('never shows drafts to someone who may not see them: hits, totals, facets, suggest', async () => {
      const anon = await search({ q: 'zorglub' });
      expect(anon.status).toBe(200);
      expect(anon.body.total).toBe(0);
      expect(anon.body.items).toEqual([]);
      const all = await search({ limit: 1 });
      expect(all.body.facets.lifecycleStatus.draft).toBeUndefined();
      expect(all.body.facets.theme.ENER ?? 0).toBe((await search({ theme: 'ENER', limit: 1 })).body.total);
      expect(all.body.facets.tag.zorglubtag).toBeUndefined();
      expect((await search({ tag: 'zorglubtag' })).body.total).toBe(0);
      expect((await search({ lifecycleStatus: 'draft' })).body.total).toBe(0);
      const kinds = Object.values(all.body.facets.kind as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(kinds).toBe(all.body.total);
      const suggest = await t.http.get('/api/v1/search/suggest').query({ q: 'zorg' });
      expect(suggest.status).toBe(200);
      expect(suggest.body.items).toEqual([]);
      // A coordinator sees it everywhere.
      const admin = await search({ q: 'zorglub' }, t.admin);
      expect(admin.body.total).toBe(1);
      expect(admin.body.facets.lifecycleStatus).toEqual({ draft: 1 });
      const adminAll = await search({ limit: 1 }, t.admin);
      expect(adminAll.body.total).toBe(all.body.total + 1);
      expect((await t.http.get('/api/v1/search/suggest').query({ q: 'zorg' }).set('authorization', t.admin)).body.items.map((i: { name: string }) => i.name)).toEqual(['Zorglub registre confidentiel']);
    });

    it('puts an exact code first, in any case', async () => {
      for (const q of ['IS00016', 'is00016']) {
        const res = await search({ q });
        expect(res.body.items[0]?.code).toBe('IS00016');
      }
    });

    it('ignores accents both ways (cafe ↔ café)', async () => {
      const names = async (q: string) => (await search({ q })).body.items.map((i: { name: string }) => i.name);
      expect(await names('cafe')).toEqual(expect.arrayContaining(['Café des données', 'Cafe numerique']));
      expect(await names('café')).toEqual(expect.arrayContaining(['Café des données', 'Cafe numerique']));
    });

    it('pages without repeating or skipping an entry', async () => {
      for (const q of ['', 'registre']) {
        const first = await search({ q, limit: 7 });
        const seen: string[] = [];
        for (let offset = 0; offset < first.body.total; offset += 7) {
          const page = await search({ q, limit: 7, offset });
          expect(page.body.total).toBe(first.body.total);
          seen.push(...page.body.items.map((i: { id: string }) => i.id));
        }
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.length).toBe(first.body.total);
      }
    });

    it('filters and counts facets consistently (each facet ignores its own filter)', async () => {
      const res = await search({ q: 'registre', kind: 'datasets', limit: 100 });
      expect(res.status).toBe(200);
      expect(res.body.items.every((i: { kind: string }) => i.kind === 'dataset')).toBe(true);
      expect(res.body.facets.kind.datasets).toBe(res.body.total);
      expect(Object.keys(res.body.facets.kind).length).toBeGreaterThan(1);
      const owners = Object.values(res.body.facets.owner as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(owners).toBe(res.body.total);
      const theme = Object.keys(res.body.facets.theme)[0];
      const themed = await search({ q: 'registre', kind: 'datasets', theme, limit: 100 });
      expect(themed.body.total).toBe(res.body.facets.theme[theme]);
      expect(themed.body.items.every((i: { themes: string[] }) => i.themes.includes(theme))).toBe(true);
      const owner = Object.keys(res.body.facets.owner)[0];
      const owned = await search({ q: 'registre', kind: 'datasets', owner: owner.toLowerCase(), limit: 100 });
      expect(owned.body.total).toBe(res.body.facets.owner[owner]);
      const op = await search({ operationalStatus: 'active', kind: 'datasets' });
      expect(op.status).toBe(200);
      expect((await search({ operationalStatus: 'nonsense' })).status).toBe(400);
    });

    it('returns highlights as positions in the plain text, never markup', async () => {
      const res = await search({ q: 'registre national' });
      const hit = res.body.items[0];
      expect(hit.highlight.name.length).toBeGreaterThan(0);
      for (const m of hit.highlight.name) expect(fold(hit.name.substr(m.start, m.length))).toMatch(/^(registre|national)/);
      const d = hit.highlight.description;
      expect(hit.description.substr(d.offset, d.text.length)).toBe(d.text);
      for (const m of d.matches) expect(fold(d.text.substr(m.start, m.length))).toMatch(/^(registr|nation)/);
      expect(JSON.stringify(res.body)).not.toMatch(/<(em|mark|b)>/);
    });

    it('shows where a hit matched outside its name and description: tags and translated names', async () => {
      // The French name and description say "horodatage"; only the English translation says "timestamping".
      const translated = (await search({ q: 'timestamping' })).body.items[0];
      expect(translated.name).toBe("Plateforme nationale de signature électronique et d'horodatage");
      expect(translated.highlight.name).toEqual([]);
      expect(translated.highlight.translatedNames).toHaveLength(1);
      const [tn] = translated.highlight.translatedNames;
      expect(tn.text).toBe('National e-Signature and Timestamping Platform');
      expect(tn.matches.map((m: { start: number; length: number }) => tn.text.substr(m.start, m.length))).toEqual(['Timestamping']);
      const tagged = (await search({ q: 'sso' })).body.items.find((h: { name: string }) => /KanembéConnect/.test(h.name));
      expect(tagged.highlight.tags).toEqual(['sso']);
      // Only translated names that hold a matched word are listed.
      for (const hit of (await search({ q: 'registre national', limit: 50 })).body.items) {
        for (const t of hit.highlight.translatedNames) expect(t.matches.length).toBeGreaterThan(0);
      }
    });

    it('suggests names and codes as the user types', async () => {
      const names = await t.http.get('/api/v1/search/suggest').query({ q: 'regis' });
      expect(names.status).toBe(200);
      expect(names.body.items.length).toBeGreaterThan(0);
      expect(names.body.items[0].name).toMatch(/^Registre/);
      expect(names.body.items[0].href).toMatch(/^\/api\/v1\/(systems|datasets|eservices)\/[A-Z]{2}\d{5}$/);
      const codes = await t.http.get('/api/v1/search/suggest').query({ q: 'IS0001' });
      expect(codes.body.items.map((i: { code: string }) => i.code)).toContain('IS00016');
      expect((await t.http.get('/api/v1/search/suggest')).status).toBe(400);
    });

    it('suggests through a typo of a word of 5+ letters, highlighting the word it found', async () => {
      const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((i) => i.name);
      for (const typo of ['rigistre']) {
        const res = await t.http.get('/api/v1/search/suggest').query({ q: typo });
        expect(res.status).toBe(200);
        expect(names(res).length).toBeGreaterThan(0);
        expect(names(res).every((n: string) => /registre/i.test(n))).toBe(true);
        const first = res.body.items[0];
        const marked = first.highlight.map((h: { start: number; length: number }) => fold(first.name.slice(h.start, h.start + h.length)));
        expect(marked).toContain('registre');
      }
      // Names that begin like the typed text come first (not "Demande d'extrait du registre…").
      expect(names(await t.http.get('/api/v1/search/suggest').query({ q: 'rigistre' }))[0]).toMatch(/^Registre/);
      // Two words, the second mistyped while typing: both must hold in the name.
      const two = await t.http.get('/api/v1/search/suggest').query({ q: 'registre vacination' });
      expect(names(two)).toEqual(['Registre national de vaccination']);
      // Short words are not corrected: three letters that start no name find nothing.
      expect(names(await t.http.get('/api/v1/search/suggest').query({ q: 'rgx' }))).toEqual([]);
    });

    it('never suggests a draft through a corrected typo to someone who may not see it', async () => {
      // "zorglub" is only in the draft's name; "regsitre" is corrected to "registre", also in it.
      const anonymous = await t.http.get('/api/v1/search/suggest').query({ q: 'zorglub regsitre' });
      expect(anonymous.status).toBe(200);
      expect(anonymous.body.items).toEqual([]);
      const admin = await t.http.get('/api/v1/search/suggest').query({ q: 'zorglub regsitre' }).set('authorization', t.admin);
      expect(admin.body.items.map((i: { name: string }) => i.name)).toEqual(['Zorglub registre confidentiel']);
    });

    it('answers any text with a 2xx or 4xx, never a 5xx', async () => {
      for (const q of HOSTILE) {
        for (const path of ['/api/v1/search', '/api/v1/search/suggest']) {
          const res = await t.http.get(path).query({ q });
          expect({ q, path, status: res.status < 500 ? 'ok' : res.status }).toEqual({ q, path, status: 'ok' });
        }
      }
      for (const raw of ['%FF%FE', '%C3%28', '%00', '%E2%82', '%ED%A0%80', 'a%20%20%20']) {
        const res = await t.http.get(`/api/v1/search?q=${raw}`);
        expect({ raw, status: res.status < 500 ? 'ok' : res.status }).toEqual({ raw, status: 'ok' });
      }
      expect((await search({ q: 'x'.repeat(501) })).status).toBe(400);
    });
  });
}
