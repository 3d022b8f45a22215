import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';
import { expectFieldError } from './problem-expect';
import { PostgresSearchBackend } from '../src/search/postgres-search.backend';
import { SearchService } from '../src/search/search.service';
import { VocabularySweeper } from '../src/search/vocabulary-sweeper';
import { fold } from '../src/search/text-query';

interface Hit {
  id: string;
  code: string;
  kind: 'system' | 'dataset' | 'eservice';
  name: string;
  owner: { code: string; name: string } | null;
  lifecycleStatus: string;
  score: number;
  href: string;
}
interface Result {
  items: Hit[];
  total: number;
  limit: number;
  offset: number;
  facets: { kind: Record<string, number>; owner: Record<string, number> };
}

const PATH = { system: 'systems', dataset: 'datasets', eservice: 'eservices' } as const;
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe(`search on the demo catalogue (${databaseLabel})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(async () => t?.close());

  const search = async (params: Record<string, string | number>, auth?: string): Promise<Result> => {
    const req = t.http.get('/api/v1/search').query(params);
    if (auth) req.set('authorization', auth);
    const res = await req;
    if (res.status !== 200) throw new Error(`search ${JSON.stringify(params)}: ${res.status} ${res.text}`);
    return res.body;
  };
  /** Every hit (the demo has 110 entries: at most two pages of 100). */
  const everything = async (params: Record<string, string | number>, auth?: string): Promise<Hit[]> => {
    const first = await search({ ...params, limit: 100 }, auth);
    const rest = first.total > 100 ? (await search({ ...params, limit: 100, offset: 100 }, auth)).items : [];
    const items = [...first.items, ...rest];
    expect(items).toHaveLength(first.total);
    return items;
  };
  const codes = (hits: Hit[]) => hits.map((h) => h.code);

  it('browses everything without q: 110 entries, facets per kind and owner add up', async () => {
    const res = await search({});
    expect(res.total).toBe(110);
    expect(res).toMatchObject({ limit: 20, offset: 0 });
    expect(res.items).toHaveLength(20);
    expect(res.facets.kind).toEqual({ systems: 40, datasets: 30, eservices: 40 });
    expect(sum(res.facets.owner)).toBe(110);
    expect(Object.keys(res.facets.owner)).toHaveLength(22);
  });

  it('finds "données" when typed without accents, and the same set with them', async () => {
    const plain = await everything({ q: 'donnees' });
    const accented = await everything({ q: 'données' });
    expect(plain.length).toBeGreaterThan(3);
    expect(codes(plain).sort()).toEqual(codes(accented).sort());
    const found = plain.map((h) => h.name);
    for (const name of ["Données de l'état civil", 'Portail national des données ouvertes', "Données d'exécution du budget de l'État", 'Déclaration de traitement de données à caractère personnel']) {
      expect(found).toContain(name);
    }
    // Upper case and mixed accents find the same.
    expect(codes(await everything({ q: 'DONNÉES' })).sort()).toEqual(codes(plain).sort());
  });

  it('matches the last word as a prefix while typing ("registre nat")', async () => {
    const res = await search({ q: 'registre nat' });
    const top = res.items.slice(0, 4).map((h) => h.name);
    expect(top).toContain('Registre national des personnes physiques');
    // Names that start with what was typed come first.
    for (const name of top) expect(name.toLowerCase().startsWith('registre national')).toBe(true);
    const all = (await everything({ q: 'registre nat' })).map((h) => h.name);
    expect(all).toContain('Système de gestion du Registre national des personnes physiques');
    // With a trailing space the last word is complete: "nat" alone matches no word.
    expect((await search({ q: 'registre nat ' })).total).toBeLessThan(res.total);
  });

  it('puts the entry with exactly that name first', async () => {
    for (const name of ['Casier judiciaire national', 'Déclaration de naissance', 'Registre national des personnes physiques']) {
      const res = await search({ q: name });
      expect(res.items[0].name).toBe(name);
      expect(res.items[0].score).toBeGreaterThan(res.items[1]?.score ?? -1);
    }
    // Accents and case do not matter for the exact match either.
    expect((await search({ q: 'casier JUDICIAIRE national' })).items[0].name).toBe('Casier judiciaire national');
  });

  it('puts the entry with that code first, in any case', async () => {
    const sydonia = (await search({ q: 'SYDONIA' })).items.find((h) => h.name.includes('SYDONIA'))!;
    expect(sydonia).toBeDefined();
    for (const q of [sydonia.code, sydonia.code.toLowerCase()]) {
      const res = await search({ q });
      expect(res.items[0].code).toBe(sydonia.code);
      expect(res.items[0].href).toBe(`/api/v1/systems/${sydonia.code}`);
    }
    const dataset = (await search({ q: 'Casier judiciaire national', kind: 'datasets' })).items[0];
    expect((await search({ q: dataset.code })).items[0].code).toBe(dataset.code);
  });

  it('returns hits with kind, owner, href and scores in descending order', async () => {
    const res = await search({ q: 'santé', limit: 100 });
    expect(res.total).toBeGreaterThan(3);
    for (const h of res.items) {
      expect(h.href).toBe(`/api/v1/${PATH[h.kind]}/${h.code}`);
      expect(h.owner).toEqual({ code: expect.any(String), name: expect.any(String) });
      expect(h.lifecycleStatus).toBe('published');
      expect(typeof h.score).toBe('number');
    }
    const scores = res.items.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Every hit can be read at its href.
    const first = await t.http.get(res.items[0].href);
    expect(first.status).toBe(200);
    expect(first.body.code).toBe(res.items[0].code);
  });

  it.each(['santé', 'registre', 'identité', 'commune', 'paiement'])('facets add up to the total when nothing filters them (q=%s)', async (q) => {
    const res = await search({ q });
    expect(res.total).toBeGreaterThan(0);
    expect(sum(res.facets.kind)).toBe(res.total);
    expect(sum(res.facets.owner)).toBe(res.total);
    const hits = await everything({ q });
    for (const [path, n] of Object.entries(res.facets.kind)) {
      expect(hits.filter((h) => PATH[h.kind] === path)).toHaveLength(n);
    }
    for (const [owner, n] of Object.entries(res.facets.owner)) {
      expect(hits.filter((h) => h.owner?.code === owner)).toHaveLength(n);
    }
  });

  it('narrows by kind; the kind facet still counts every kind, the owner facet only that kind', async () => {
    const unfiltered = await search({ q: 'registre' });
    const hits = await everything({ q: 'registre' });
    for (const path of ['systems', 'datasets', 'eservices'] as const) {
      const res = await search({ q: 'registre', kind: path, limit: 100 });
      const expected = hits.filter((h) => PATH[h.kind] === path);
      expect(res.total).toBe(unfiltered.facets.kind[path] ?? 0);
      expect(res.total).toBe(expected.length);
      expect(res.items.every((h) => PATH[h.kind] === path)).toBe(true);
      expect(codes(res.items).sort()).toEqual(codes(expected).sort());
      expect(res.facets.kind).toEqual(unfiltered.facets.kind);
      expect(sum(res.facets.owner)).toBe(res.total);
    }
  });

  it('narrows by owner; the owner facet still counts every owner, the kind facet only that owner', async () => {
    const unfiltered = await search({ q: 'registre' });
    const hits = await everything({ q: 'registre' });
    const owners = Object.keys(unfiltered.facets.owner);
    expect(owners.length).toBeGreaterThan(2);
    for (const owner of owners.slice(0, 4)) {
      const res = await search({ q: 'registre', owner, limit: 100 });
      expect(res.total).toBe(unfiltered.facets.owner[owner]);
      expect(res.items.every((h) => h.owner?.code === owner)).toBe(true);
      expect(codes(res.items).sort()).toEqual(codes(hits.filter((h) => h.owner?.code === owner)).sort());
      expect(res.facets.owner).toEqual(unfiltered.facets.owner);
      expect(sum(res.facets.kind)).toBe(res.total);
    }
    // Both filters together.
    const both = await search({ q: 'registre', owner: 'ANIP', kind: 'datasets' });
    expect(both.items.every((h) => h.owner?.code === 'ANIP' && h.kind === 'dataset')).toBe(true);
    expect(both.items.map((h) => h.name)).toContain('Registre national des personnes physiques');
    expect(both.facets.kind.datasets).toBe(both.total);
    expect(both.facets.owner.ANIP).toBe(both.total);
    // An unknown owner finds nothing but keeps the other facet.
    const none = await search({ q: 'registre', owner: 'NOBODY' });
    expect(none.total).toBe(0);
    expect(none.items).toEqual([]);
    expect(none.facets.owner).toEqual(unfiltered.facets.owner);
  });

  it('pages search results without repeats or gaps', async () => {
    const whole = codes(await everything({ q: 'registre' }));
    expect(whole.length).toBeGreaterThan(6);
    const seen: string[] = [];
    for (let offset = 0; offset < whole.length; offset += 4) {
      const page = await search({ q: 'registre', limit: 4, offset });
      expect(page.total).toBe(whole.length);
      seen.push(...codes(page.items));
    }
    expect(seen).toEqual(whole);
    // Browsing without q, too (every score ties).
    const browse = codes(await everything({}));
    expect(new Set(browse).size).toBe(110);
    const pages: string[] = [];
    for (let offset = 0; offset < 110; offset += 30) pages.push(...codes((await search({ limit: 30, offset })).items));
    expect(pages).toEqual(browse);
  });

  it('ranks in fixed rescore windows: pages across window edges neither repeat nor skip, and each window is in score order', async () => {
    const backend = t.app.get(PostgresSearchBackend);
    const before = backend.rescoreWindow;
    try {
      const single = await everything({ q: 'registre' });
      backend.rescoreWindow = 3;
      // The window is not in the database's snapshot: answers kept under the other window are forgotten.
      t.app.get(SearchService).answers.clear();
      const windowed = await everything({ q: 'registre' });
      // The same entries; an exact code or name is still first (its boost is in the first phase too).
      expect(new Set(codes(windowed))).toEqual(new Set(codes(single)));
      expect((await search({ q: windowed[4].code })).items[0].code).toBe(windowed[4].code);
      expect((await search({ q: windowed[5].name })).items[0].code).toBe(windowed[5].code);
      for (let w = 0; w < windowed.length; w += 3) {
        const scores = windowed.slice(w, w + 3).map((h) => h.score);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
      }
      // Pages of 2 and of 5 cut windows of 3 in every way: the concatenation is the whole order.
      for (const limit of [2, 5]) {
        const seen: string[] = [];
        for (let offset = 0; offset < windowed.length; offset += limit) seen.push(...codes((await search({ q: 'registre', limit, offset })).items));
        expect(seen).toEqual(codes(windowed));
      }
    } finally {
      backend.rescoreWindow = before;
      t.app.get(SearchService).answers.clear();
    }
  });

  it('corrects only words that nothing contains: "registres" is a plural, not a typo of "enregistrés"', async () => {
    const words = (text: string, matches: { start: number; length: number }[]) => matches.map((m) => fold(text.slice(m.start, m.start + m.length)));
    const plural = await t.http.get('/api/v1/search').query({ q: 'registres', limit: 100 });
    expect(plural.status).toBe(200);
    expect(plural.body.total).toBeGreaterThan(5);
    const highlighted = plural.body.items.flatMap((h: { name: string; highlight: { name: { start: number; length: number }[]; description: { text: string; matches: { start: number; length: number }[] } | null } }) => [
      ...words(h.name, h.highlight.name),
      ...(h.highlight.description ? words(h.highlight.description.text, h.highlight.description.matches) : []),
    ]);
    expect(highlighted.length).toBeGreaterThan(0);
    for (const w of highlighted) expect(w.startsWith('registr')).toBe(true);
    // A real typo is still corrected.
    const typo = await t.http.get('/api/v1/search').query({ q: 'regsitre' });
    expect(typo.body.total).toBeGreaterThan(0);
  });

  it('corrects a typo only to words a few edits away: "compnay" is not "compte"', async () => {
    // Trigram similarity alone took "compte" (0.33) as a correction of "compnay": 3 edits away.
    const res = await t.http.get('/api/v1/search').query({ q: 'compnay', limit: 100 });
    expect(res.status).toBe(200);
    const highlighted = res.body.items.flatMap((h: { name: string; highlight: { name: { start: number; length: number }[] } }) =>
      h.highlight.name.map((m) => fold(h.name.slice(m.start, m.start + m.length))),
    );
    expect(highlighted.filter((w: string) => w.startsWith('compt'))).toEqual([]);
    // One or two edits still are: a transposition, a missing letter.
    for (const typo of ['regsitre', 'passeprt', 'douanne']) expect((await t.http.get('/api/v1/search').query({ q: typo })).body.total).toBeGreaterThan(0);
  });

  it('ranks the matches of the nearest correction of a typo first, and leaves a query without typos as it was', async () => {
    // Left alone in an earlier note: corrections were alternatives of one query, so "permis de conduire"
    // (conduire is 3 edits from constrire) ranked above "permis de construire" (1 edit).
    // The last word, still being typed, too (found by a second check: `contruire` found "construire" and
    // "conduire" both 2 edits away on its first 9 letters, and ranked "permis de conduire" first).
    for (const q of ['permis de constrire', 'permis constrire', 'permis de contruire', 'permis de contruire ']) {
      const res = await search({ q });
      expect(res.items[0].name).toBe('Demande de permis de construire');
      expect(res.items.map((h) => h.name)).toEqual(expect.arrayContaining(['Fichier national des permis de conduire']));
    }
    // Found by a new-user check: a description holding the nearest correction ("permis de construire")
    // ranked below names holding a farther one ("permis de conduire"), by more than the boost of 1.
    const alone = (await search({ q: 'constrire', limit: 20 })).items.map((h) => h.name);
    const lastNearest = alone.lastIndexOf('Système de gestion municipale de Kanembé-Ville');
    const firstFarther = alone.findIndex((n) => /permis de conduire/.test(n));
    expect(lastNearest).toBeGreaterThanOrEqual(0);
    expect(firstFarther).toBeGreaterThan(lastNearest);
    const exact = await search({ q: 'permis de conduire' });
    expect(exact.items.slice(0, 3).map((h) => h.name).sort()).toEqual(
      ['Demande ou renouvellement de permis de conduire', 'Fichier national des permis de conduire', 'Système de gestion des permis de conduire'].sort(),
    );
    for (const h of exact.items) expect(h.score).toBeLessThan(10); // no correction, so no nearest-correction boost
  });

  it('suggests codes that start with the typed text in code order', async () => {
    // Found by a new-user check: DS00003, DS00008, DS00005… (ordered by name).
    const res = await t.http.get('/api/v1/search/suggest').query({ q: 'DS0000', limit: 20 });
    const codes = res.body.items.map((i: { code: string }) => i.code);
    expect(codes.length).toBeGreaterThan(3);
    expect(codes).toEqual([...codes].sort());
  });

  it('suggests through transpositions and doubled letters too (regsitre, douanne)', async () => {
    for (const [typo, word] of [['regsitre', /registre/i], ['douanne', /douan/i]] as const) {
      const res = await t.http.get('/api/v1/search/suggest').query({ q: typo });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      for (const item of res.body.items) expect(item.name).toMatch(word);
    }
  });

  it('takes typo vocabulary only from public entries: a draft, even deleted, changes nothing anyone else finds', async () => {
    // Found by a new-user check: a draft named "Regsitre…" turned off the correction of `regsitre` for
    // everyone (anonymous total 38 → 0), telling them a hidden draft holds the word.
    const before = await t.http.get('/api/v1/search').query({ q: 'regsitre' });
    expect(before.body.total).toBeGreaterThan(0);
    await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'VOCAB', name: 'Vocabulary test' });
    const draft = await t.http.post('/api/v1/systems').set('authorization', t.admin).send({ name: 'Regsitre interne', owner: 'VOCAB' });
    expect(draft.status).toBe(201);
    expect((await t.http.get('/api/v1/search').query({ q: 'regsitre' })).body.total).toBe(before.body.total);
    expect(await t.dataSource.query(`SELECT word FROM search_words WHERE word = 'regsitre'`)).toEqual([]);
    const del = await t.http.delete(`/api/v1/systems/${draft.body.code}`).set('authorization', t.admin).set('if-match', draft.headers.etag);
    expect(del.status).toBe(204);
    expect((await t.http.get('/api/v1/search').query({ q: 'regsitre' })).body.total).toBe(before.body.total);
    // Once an entry is public (a lifecycle change runs the trigger), its words join the vocabulary.
    const other = await t.http.post('/api/v1/systems').set('authorization', t.admin).send({ name: 'Registre zqvocabx', owner: 'VOCAB' });
    expect(await t.dataSource.query(`SELECT word FROM search_words WHERE word = 'zqvocabx'`)).toEqual([]);
    await t.dataSource.query(`UPDATE catalogue_entries SET lifecycle_status = 'published' WHERE code = $1`, [other.body.code]);
    expect(await t.dataSource.query(`SELECT word FROM search_words WHERE word = 'zqvocabx'`)).toEqual([{ word: 'zqvocabx' }]);
    await t.dataSource.query(`DELETE FROM catalogue_entries WHERE code = $1`, [other.body.code]); // the later tests count the demo's 110
  });

  it('keeps the vocabulary to the words public entries hold: a fixed typo in a public name is corrected again, a sent-back entry takes its own words away', async () => {
    // The vocabulary only grew: once "Cadastre vernisage" was public, `vernisage` was a known word, so
    // it was never corrected, and after the name was fixed a search for it found nothing.
    const words = async (...w: string[]) =>
      ((await t.dataSource.query(`SELECT word FROM search_words WHERE word = ANY($1::text[]) ORDER BY word`, [w])) as { word: string }[]).map((r) => r.word);
    await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'VOCAB2', name: 'Vocabulaire' });
    const publish = async (name: string) => {
      const created = await t.http.post('/api/v1/systems').set('authorization', t.admin).send({ name, owner: 'VOCAB2' });
      expect(created.status).toBe(201);
      const res = await t.http.post(`/api/v1/systems/${created.body.code}/lifecycle`).set('authorization', t.admin).set('if-match', '"1"').send({ status: 'published', comment: 'ok' });
      expect(res.status).toBe(200);
      return { code: created.body.code as string, etag: res.headers.etag as string };
    };
    const right = await publish('Cadastre zqvernissage');
    const typo = await publish('Cadastre zqvernisage');
    const other = await publish('Cadastre zqrenvoi');
    try {
      expect(await words('zqvernissage', 'zqvernisage', 'zqrenvoi', 'cadastre')).toEqual(['cadastre', 'zqrenvoi', 'zqvernisage', 'zqvernissage']);
      expect((await search({ q: 'zqvernisage' })).items.map((h) => h.code)).toEqual([typo.code]);

      const fixed = await t.http.patch(`/api/v1/systems/${typo.code}`).set('authorization', t.admin).set('if-match', typo.etag).send({ name: 'Cadastre zqvernissage communal' });
      expect(fixed.status).toBe(200);
      // The word waits for the sweep (every 30 s), which takes only what no public entry holds.
      await t.app.get(VocabularySweeper).sweepOnce();
      expect(await words('zqvernisage', 'zqvernissage')).toEqual(['zqvernissage']);
      expect((await search({ q: 'zqvernisage' })).items.map((h) => h.code).sort()).toEqual([right.code, typo.code].sort());

      // Sent back to review, an entry is no longer public: its own words leave, shared ones stay.
      const back = await t.http.post(`/api/v1/systems/${other.code}/transitions/send-back`).set('authorization', t.admin).set('if-match', other.etag).send({ comment: 'à revoir' });
      expect(back.status).toBe(200);
      await t.app.get(VocabularySweeper).sweepOnce();
      expect(await words('zqrenvoi', 'cadastre')).toEqual(['cadastre']);

      // A sweep counts what it removed; a noted word some public entry holds stays.
      await t.dataSource.query(`INSERT INTO search_words (word) VALUES ('zqnoted') ON CONFLICT DO NOTHING`);
      await t.dataSource.query(`INSERT INTO search_words_doubt (word) VALUES ('zqnoted'), ('zqnoted'), ('zqvernissage')`);
      expect(await t.app.get(VocabularySweeper).sweepOnce()).toBeGreaterThanOrEqual(1);
      expect(await words('zqnoted', 'zqvernissage')).toEqual(['zqvernissage']);
      expect(await t.dataSource.query(`SELECT word FROM search_words_doubt WHERE word IN ('zqnoted', 'zqvernissage')`)).toEqual([]);

      // `search reindex` sweeps words no public entry holds, whatever put them there.
      await t.dataSource.query(`INSERT INTO search_words (word) VALUES ('zqstaleword')`);
      await t.app.get(SearchService).reindex();
      expect(await words('zqstaleword', 'zqvernissage', 'cadastre', 'zqrenvoi')).toEqual(['cadastre', 'zqvernissage']);
    } finally {
      await t.dataSource.query(`DELETE FROM catalogue_entries WHERE code = ANY($1::text[])`, [[right.code, typo.code, other.code]]); // the later tests count the demo's 110
    }
  });

  it('finds nothing, with empty facets, for words that match nothing or no word at all', async () => {
    for (const q of ['zzzqqqxxx', '(((', '"', '%']) {
      const res = await search({ q });
      expect(res).toMatchObject({ items: [], total: 0, facets: { kind: {}, owner: {} } });
    }
  });

  it('refuses bad parameters with 400 naming them', async () => {
    expectFieldError(await t.http.get('/api/v1/search?kind=organisations'), 'kind');
    expectFieldError(await t.http.get('/api/v1/search?limit=101'), 'limit');
    expectFieldError(await t.http.get('/api/v1/search?offset=-1'), 'offset');
  });

  it('never shows drafts to anonymous callers (hits, totals, facets), but shows them to the admin', async () => {
    const anonBefore = await search({ q: 'registre' });
    const browseBefore = await search({});
    const adminBefore = await search({ q: 'registre' }, t.admin);
    expect(adminBefore.total).toBe(anonBefore.total);

    const created = await t.http
      .post('/api/v1/systems')
      .set('authorization', t.admin)
      .send({ name: 'Registre brouillon xylophonique', owner: 'MINSANTE', tags: ['registre'] });
    expect(created.status).toBe(201);
    expect(created.body.lifecycleStatus).toBe('draft');

    const anonAfter = await search({ q: 'registre' });
    expect(anonAfter.total).toBe(anonBefore.total);
    expect(anonAfter.facets).toEqual(anonBefore.facets);
    expect(codes(await everything({ q: 'registre' }))).not.toContain(created.body.code);
    expect(await search({ q: 'xylophonique' })).toMatchObject({ total: 0, items: [], facets: { kind: {}, owner: {} } });
    expect(await search({ q: created.body.code })).toMatchObject({ total: 0, items: [] });
    const browseAfter = await search({});
    expect(browseAfter.total).toBe(110);
    expect(browseAfter.facets).toEqual(browseBefore.facets);
    expect((await search({ owner: 'MINSANTE' })).total).toBe(browseBefore.facets.owner.MINSANTE);

    const adminAfter = await search({ q: 'registre' }, t.admin);
    expect(adminAfter.total).toBe(anonBefore.total + 1);
    expect(adminAfter.facets.kind.systems).toBe((anonBefore.facets.kind.systems ?? 0) + 1);
    expect(adminAfter.facets.owner.MINSANTE).toBe((anonBefore.facets.owner.MINSANTE ?? 0) + 1);
    const mine = await search({ q: 'xylophonique' }, t.admin);
    expect(mine.total).toBe(1);
    expect(mine.items[0]).toMatchObject({ code: created.body.code, lifecycleStatus: 'draft' });
    expect((await search({}, t.admin)).total).toBe(111);

    // Once published, everyone finds it.
    const published = await t.http
      .post(`/api/v1/systems/${created.body.code}/lifecycle`)
      .set('authorization', t.admin)
      .set('if-match', '"1"')
      .send({ status: 'published', comment: 'ok' });
    expect(published.status).toBe(200);
    expect((await search({ q: 'xylophonique' })).items.map((h) => h.code)).toEqual([created.body.code]);
    expect((await search({})).total).toBe(111);
  });

  it('reflects a rename in search at once', async () => {
    const hit = (await search({ q: 'SYDONIA' })).items.find((h) => h.name.includes('SYDONIA'))!;
    const current = await t.http.get(`/api/v1/systems/${hit.code}`);
    const res = await t.http
      .patch(`/api/v1/systems/${hit.code}`)
      .set('authorization', t.admin)
      .set('if-match', current.headers.etag)
      .send({ name: 'Système douanier automatisé Quokkadouane' });
    expect(res.status).toBe(200);
    const found = await search({ q: 'quokkadouane' });
    expect(codes(found.items)).toEqual([hit.code]);
    expect(found.items[0].name).toBe('Système douanier automatisé Quokkadouane');
    expect((await search({ q: hit.code })).items[0].name).toBe('Système douanier automatisé Quokkadouane');
  });

  it('suggests from names and codes only, and follows a rename at once (typed words and corrected typos alike)', async () => {
    await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'SUGGNAME', name: 'Suggest names' });
    const created = await t.http.post('/api/v1/systems').set('authorization', t.admin)
      .send({ name: 'Portail zqpelican', description: 'Seule la description dit zqflamant et zqcormoran.', owner: 'SUGGNAME' });
    expect(created.status).toBe(201);
    const published = await t.http.post(`/api/v1/systems/${created.body.code}/lifecycle`).set('authorization', t.admin).set('if-match', '"1"').send({ status: 'published', comment: 'ok' });
    expect(published.status).toBe(200);
    const suggested = async (q: string) => ((await t.http.get('/api/v1/search/suggest').query({ q, limit: 20 })).body.items as { code: string }[]).map((i) => i.code);
    // Search finds the description's words; suggest, which completes names, does not (typed or mistyped).
    expect(codes((await search({ q: 'zqflamant' })).items)).toEqual([created.body.code]);
    expect(await suggested('zqflam')).toEqual([]);
    expect(await suggested('zqflamnt')).toEqual([]);
    expect(await suggested('portail zqpel')).toEqual([created.body.code]);
    expect(await suggested('zqpelikan')).toEqual([created.body.code]);
    const renamed = await t.http.patch(`/api/v1/systems/${created.body.code}`).set('authorization', t.admin).set('if-match', published.headers.etag)
      .send({ name: 'Portail zqcormoran' });
    expect(renamed.status).toBe(200);
    expect(await suggested('portail zqpel')).toEqual([]);
    expect(await suggested('portail zqcorm')).toEqual([created.body.code]);
    expect(await suggested('zqcormorna')).toEqual([created.body.code]);
  });

  it('finds the words inside names written together (camel case) in names, interface names and X-Road service codes', async () => {
    // Found by a new-user check: `death of a person` did not find "DeathOfAPerson (NIIS)", `kanembe connect` found nothing.
    expect((await search({ q: 'kanembe connect' })).items.slice(0, 2).map((h) => h.name)).toEqual(
      expect.arrayContaining(["Service national d'authentification KanembéConnect"]),
    );
    await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'CAMEL', name: 'Camel case' });
    const created = await t.http.post('/api/v1/systems').set('authorization', t.admin).send({
      name: 'ZqMonitoringClient',
      owner: 'CAMEL',
      interfaces: [{ name: 'ZqPopulationRegistry', type: 'SOAP', xroad: { instance: 'KB', memberClass: 'GOV', memberCode: 'CAMEL', subsystemCode: 'ZqRegistry', serviceCode: 'zqDeathOfAPersonListener1', serviceVersion: 'v1' } }],
    });
    expect(created.status).toBe(201);
    const published = await t.http.post(`/api/v1/systems/${created.body.code}/lifecycle`).set('authorization', t.admin).set('if-match', '"1"').send({ status: 'published', comment: 'ok' });
    expect(published.status).toBe(200);
    for (const q of ['zq monitoring client', 'ZqMonitoringClient', 'zq population registry', 'zq death of a person listener1', 'zqDeathOfAPersonListener1', 'person listener1']) {
      expect({ q, codes: codes((await search({ q })).items).slice(0, 1) }).toEqual({ q, codes: [created.body.code] });
    }
    // Suggest completes the words of a name written together (found by a second check), not those of its interfaces.
    const suggested = async (q: string) => ((await t.http.get('/api/v1/search/suggest').query({ q })).body.items as { code: string; name: string }[]);
    expect((await suggested('zq monitoring cli')).map((i) => i.code)).toEqual([created.body.code]);
    expect((await suggested('kanembe conn')).map((i) => i.name)).toContain("Service national d'authentification KanembéConnect");
    expect(await suggested('zq population regis')).toEqual([]);
  });

  it('finds entries by their owner\'s name, acronym or code, following renames and reassignments', async () => {
    await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'OCEANO', name: 'Office hydrographique national', acronym: 'OHN' });
    await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'METEO', name: 'Agence météorologique' });
    const created = await t.http.post('/api/v1/datasets').set('authorization', t.admin).send({ name: 'Marées des ports', owner: 'OCEANO' });
    const { code } = created.body;
    await t.http.post(`/api/v1/datasets/${code}/lifecycle`).set('authorization', t.admin).set('if-match', '"1"').send({ status: 'published' });
    for (const q of ['hydrographique', 'OHN', 'oceano', 'marées hydrographique']) expect(codes((await search({ q })).items)).toContain(code);
    // A match in the entry's own name still ranks above a match of its owner's name only.
    expect((await search({ q: 'marées' })).items[0].code).toBe(code);

    const org = await t.http.get('/api/v1/organisations/OCEANO');
    expect((await t.http.patch('/api/v1/organisations/OCEANO').set('authorization', t.admin).set('if-match', org.headers.etag).send({ name: 'Service océanographique' })).status).toBe(200);
    expect(codes((await search({ q: 'océanographique' })).items)).toContain(code);
    expect(codes((await search({ q: 'hydrographique' })).items)).not.toContain(code);

    const moved = await t.http.post(`/api/v1/datasets/${code}/owner`).set('authorization', t.admin).set('if-match', '"2"').send({ to: 'METEO', comment: 'moved' });
    expect(moved.status).toBe(200);
    expect(codes((await search({ q: 'météorologique' })).items)).toContain(code);
    expect(codes((await search({ q: 'océanographique' })).items)).not.toContain(code);
  });
});
