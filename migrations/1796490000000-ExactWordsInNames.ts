import { MigrationInterface, QueryRunner } from 'typeorm';
import { distinctTermQuery } from './1796380000000-DistinctQueryTerms';
import { KNOWN_STEMS } from './1796390000000-InflectionsAreNotTypos';
import { NEAREST } from './1796460000000-NearestCorrectionsFirst';

/**
 * Written by hand (issue 4, relevance; found by a new-user check): a typed word matches in three
 * forms (as typed, and its English and French stems), and a typo through its corrections' three forms
 * too, all alike. So `regsitre`, corrected to "registre", whose French stem `registr` is also the
 * English stem of "registrations", put "GP Registrations Management Information API" before every
 * "Registre…" entry. `catalogue_exact_term_query` is `catalogue_nearest_term_query` keeping only the
 * words themselves (the word as typed, prefix while typing, and its nearest corrections), no stems; the
 * search ranks the entries whose name holds every word so first among equals, as Meilisearch's
 * exactness rule does.
 *
 * Also (found by the second check): for the last word, still being typed, a correction's distance was
 * measured on as many of its letters as were typed, so `permis de contruire` found "construire" and
 * "conduire" both 2 edits away and ranked neither first. A correction's distance is now the smaller of
 * that and the whole word's (`construire` is 1 edit from `contruire`, `conduire` 2).
 */
const PREFIX_DISTANCE = 'levenshtein(CASE WHEN prefix THEN left(word, length(t)) ELSE word END, t) AS d';
const NEAREST_WHOLE = NEAREST.replace(PREFIX_DISTANCE, 'least(levenshtein(CASE WHEN prefix THEN left(word, length(t)) ELSE word END, t), levenshtein(word, t)) AS d');

const TERM_QUERY = 'FUNCTION catalogue_term_query(term text, prefix boolean)';

/**
 * catalogue_term_query's template with corrections chosen by `nearest`, named `name`, with `more`
 * replacements; refuses a template that no longer has what is replaced.
 */
const variant = (nearest: string, name: string, more: [string, string][] = []) => {
  let fn = distinctTermQuery(KNOWN_STEMS, nearest, ' SET pg_trgm.similarity_threshold = 0.2');
  for (const [from, to] of [[TERM_QUERY, `FUNCTION ${name}(term text, prefix boolean)`], ...more]) {
    if (!fn.includes(from)) throw new Error(`ExactWordsInNames: the term query function changed shape (${from})`);
    fn = fn.replace(from, to);
  }
  return fn;
};

export class ExactWordsInNames1796490000000 implements MigrationInterface {
  name = 'ExactWordsInNames1796490000000';

  public async up(q: QueryRunner): Promise<void> {
    if (NEAREST_WHOLE === NEAREST) throw new Error('ExactWordsInNames: the nearest corrections changed shape');
    await q.query(variant(NEAREST_WHOLE, 'catalogue_nearest_term_query'));
    // The forms are [as typed, English, French] for the word and then for each correction: every third, from the first.
    await q.query(
      variant(NEAREST_WHOLE, 'catalogue_exact_term_query', [['FOREACH f IN ARRAY forms LOOP', 'FOR i IN 1 .. coalesce(array_length(forms, 1), 0) BY 3 LOOP\n          f := forms[i];']]),
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION catalogue_exact_term_query(text, boolean)`);
    await q.query(variant(NEAREST, 'catalogue_nearest_term_query'));
  }
}
