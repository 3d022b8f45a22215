import { sqlRows } from '../src/database/sql';
import { fold } from '../src/search/text-query';
import { UNACCENT_LETTERS } from '../src/search/unaccent-letters';
import { databaseLabel, startTestApp, TestApp } from './helpers/test-app';

/**
 * Highlights and suggest fold text in TypeScript (`fold`), the search vectors in the database
 * (`catalogue_fold`): they must agree, or a word the database matched is not found again to be
 * highlighted (Straße, Œuvres and Kayıt were found but not highlighted).
 */
describe(`the TypeScript fold is the database's (${databaseLabel})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('for accents composed and decomposed, ligatures, the letters unaccent spells otherwise, and African alphabets', async () => {
    const samples = [
      'Café Décomposé', 'Cafe\u0301 De\u0301compose\u0301', 'Straße STRASSE ẞ', 'Cœur Œuvres Æther', 'İstanbul Kayıt', 'Øresund Łódź Đakovo Þing',
      'ɛ\u0300kpo Ɖɔkpɛ ɓaƙi ƴan', 'ﬁchier ﬂux', 'Ｆｕｌｌ ｗｉｄｔｈ', 'naïve résumé Noël',
      // Found by a second check: Hangul was taken apart into jamo, Devanagari and Arabic lost their vowel signs.
      '등록부 시스템', 'पंजीकरण प्रणाली', 'السِّجِلّ المدني الوطني',
      [...UNACCENT_LETTERS.keys()].join(' '),
    ];
    const rows = await sqlRows<{ folded: string }>(t.dataSource, `SELECT lower(catalogue_unaccent(s)) AS folded FROM unnest($1::text[]) WITH ORDINALITY AS x(s, n) ORDER BY n`, [samples]);
    expect(samples.map(fold)).toEqual(rows.map((r) => r.folded));
  });
});
