import type { SqlParams } from '../database/sql-params';

/** At most this many words of a query are used; the rest are ignored (hostile or pasted text). */
const MAX_TERMS = 12;
const MAX_TERM_LENGTH = 60;

/** Splits what a user typed into words: letters and digits only, so no input can break tsquery syntax. */
export function queryTerms(q: string): string[] {
  return (q.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [])
    .slice(0, MAX_TERMS)
    .map((t) => t.slice(0, MAX_TERM_LENGTH));
}

/**
 * The tsquery for what a user typed: every word must match (AND), each word in any of the three
 * configurations the search vector holds (simple, English, French), after accents are removed. The
 * last word also matches as a prefix while the user is still typing (no trailing space).
 * Returns undefined when the text has no word at all.
 */
export function tsQuerySql(q: string, params: SqlParams): string | undefined {
  const terms = queryTerms(q);
  if (!terms.length) return undefined;
  const prefixLast = !/\s$/.test(q);
  const parts = terms.map((term, i) => {
    const suffix = prefixLast && i === terms.length - 1 ? ":*" : '';
    const p = params.add(term);
    // Quoted: what unaccent makes of some letters (ː → ":", ⑴ → "(1)", ʼ → "'") is then text, never tsquery syntax.
    const quoted = `'''' || replace(replace(lower(catalogue_unaccent(${p})), '\\', '\\\\'), '''', '''''') || ''''`;
    const lexeme = `${quoted}${suffix ? ` || '${suffix}'` : ''}`;
    return `(to_tsquery('simple', ${lexeme}) || to_tsquery('english', ${lexeme}) || to_tsquery('french', ${lexeme}))`;
  });
  return parts.join(' && ');
}
