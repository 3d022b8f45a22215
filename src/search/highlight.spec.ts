import { findMatches, snippetOf } from './highlight';
import { fold, queryTerms } from './text-query';

const marked = (text: string, stems: string[]) => findMatches(text, stems).map((m) => text.slice(m.start, m.start + m.length));

describe('highlights of words the database folded', () => {
  // Found by a new-user check: these entries were found, but nothing in their names was highlighted.
  it.each([
    ['Straße Verkehrsdaten', 'strasse', 'Straße'],
    ['Cœur des Œuvres Sociales', 'oeuvr', 'Œuvres'],
    ['İstanbul Kayıt Sistemi', 'kayit', 'Kayıt'],
    ['Cafe\u0301 De\u0301compose\u0301 Registre', 'decompos', 'De\u0301compose\u0301'],
    ['Registre des ɛ\u0300kpo', 'ekpo', 'ɛ\u0300kpo'],
    ['Fichier Øresund', 'oresund', 'Øresund'],
    // Found by a second check: Hangul was compared as jamo, Devanagari and Arabic without their vowel signs.
    ['등록부 시스템', '시스템', '시스템'],
    ['पंजीकरण प्रणाली', 'पंजीकरण', 'पंजीकरण'],
    ['السِّجِلّ المدني', 'السِّجِلّ', 'السِّجِلّ'],
    // Found by a third check: words found inside a name written together were not marked.
    ['ZzPopulationRegistry API', 'popul', 'Population'],
    ['Service KanembéConnect', 'connect', 'Connect'],
    ['XMLHttpRequest', 'request', 'Request'],
  ])('%s: %s marks %s', (text, stem, word) => {
    expect(marked(text, [stem])).toEqual([word]);
  });

  it('folds as unaccent does and keeps marks inside the words of a query', () => {
    expect(fold('Straße ŒUVRE Kayıt ɖɔkpɛ Ðað')).toBe('strasse oeuvre kayit dɔkpe dad');
    expect(queryTerms('De\u0301compose\u0301 ɛ\u0300kpo')).toEqual(['Décomposé', 'ɛ\u0300kpo']);
  });

  it('starts a description snippet at a word, never inside one', () => {
    // Found by a new-user check: "Use this service…" gave a snippet starting "e this service" (offset 2).
    let text = 'Use this service';
    while (text.length < 62) text += ' ok';
    text = `${text.slice(0, 61)} Registry data.`; // the match starts at 62: 60 before it is inside "Use"
    const snippet = snippetOf(text, ['registr'])!;
    expect(snippet.offset).toBe(0);
    expect(snippet.text.slice(snippet.matches[0].start, snippet.matches[0].start + snippet.matches[0].length)).toBe('Registry');
    const long = `${'x'.repeat(30)}verylongwordwithoutspaces${'y'.repeat(40)} and then Registry`;
    const cut = snippetOf(long, ['registr'])!;
    expect(cut.text.startsWith('and then')).toBe(true);
    const words = `alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma Registry`;
    const near = snippetOf(words, ['registr'])!;
    expect(words[near.offset - 1]).toBe(' ');
  });
});
