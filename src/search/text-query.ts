import type { SqlParams } from '../database/sql-params';
import { UNACCENT_LETTERS } from './unaccent-letters';

/** ts_rank weights of D, C, B, A (owner, text, tags…, name: see the search-vector trigger): a name match counts ten times a text match. */
export const RANK_WEIGHTS = `'{0.1, 0.25, 0.5, 1.0}'`;

/** At most this many words of a query are used; the rest are ignored (hostile or pasted text). */
const MAX_TERMS = 12;
const MAX_TERM_LENGTH = 60;

/** Removes what no database accepts in text: NUL and unpaired UTF-16 surrogates (from invalid UTF-8 or %-escapes). */
export function cleanText(q: string): string {
  return q.replace(/\u0000/g, '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

/** Letters that NFKD does not take apart but unaccent folds (ß, œ, ø, ɛ, ı…). */
const UNACCENTED = new RegExp(`[${[...UNACCENT_LETTERS.keys()].join('')}]`, 'gu');

/** The marks unaccent removes: the combining diacritics (U+0300–U+0362) and a few enclosing marks. */
const UNACCENTED_MARKS = /[\u0300-\u0362\u20dd-\u20e0\u20e2-\u20e4]+/gu;

/**
 * Lower case, accents removed; the TypeScript twin of the database's catalogue_unaccent + lower:
 * the diacritics of decomposed letters go, and the letters unaccent spells otherwise are spelt its way
 * (Straße → strasse). Other marks stay, as in the database (Devanagari vowel signs, Arabic vowels), and
 * what decomposition took apart without a diacritic is put together again (Hangul syllables).
 */
export function fold(value: string): string {
  return value.replace(UNACCENTED, (c) => UNACCENT_LETTERS.get(c)!).normalize('NFKD').replace(UNACCENTED_MARKS, '').normalize('NFC').toLowerCase();
}

/**
 * A word: letters and digits, with the combining marks that belong to them (a decomposed "é", Fon's
 * "ɛ̀" which has no composed form), as the database's fold keeps them in one word.
 */
export const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;

/** Splits what a user typed into words: letters, digits and their marks only, so no input can break tsquery syntax. */
export function queryTerms(q: string): string[] {
  return (cleanText(q).normalize('NFC').match(WORD) ?? [])
    .slice(0, MAX_TERMS)
    .map((t) => t.slice(0, MAX_TERM_LENGTH));
}

/** The last word is still being typed unless the text ends with a space or punctuation. */
export function lastTermIsPrefix(q: string): boolean {
  return /[\p{L}\p{N}]$/u.test(q);
}

/**
 * The tsquery for what a user typed: every word must match (AND); each word matches in any of the
 * three configurations the search vector holds (simple, English, French) after accents are removed,
 * as a prefix if it is the last word being typed, or through its nearest known words if it is a typo
 * of 5+ letters (catalogue_term_query, in the SearchRelevance migration). Stop words are dropped
 * unless the query has nothing else. Returns undefined when the text has no word at all.
 * With catalogue_nearest_term_query, a typo keeps only its nearest corrections; with
 * catalogue_exact_term_query, each word matches only as itself or its corrections, without stems (both for ranking).
 */
export function tsQuerySql(
  q: string,
  params: SqlParams,
  termQuery: 'catalogue_term_query' | 'catalogue_nearest_term_query' | 'catalogue_exact_term_query' = 'catalogue_term_query',
): string | undefined {
  const terms = queryTerms(q);
  if (!terms.length) return undefined;
  const prefixLast = lastTermIsPrefix(q);
  const parts = terms.map((term, i) => `${termQuery}(${params.add(term)}, ${prefixLast && i === terms.length - 1})`);
  const all = params.add(terms.join(' '));
  return `(SELECT CASE WHEN numnode(x.q) = 0 THEN plainto_tsquery('simple', catalogue_fold(${all})) ELSE x.q END FROM (SELECT ${parts.join(' && ')} AS q) x)`;
}
