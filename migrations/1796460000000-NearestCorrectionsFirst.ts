import { MigrationInterface, QueryRunner } from 'typeorm';
import { distinctTermQuery } from './1796380000000-DistinctQueryTerms';
import { KNOWN_STEMS } from './1796390000000-InflectionsAreNotTypos';
import { CANDIDATES } from './1796400000000-TyposByEditDistance';

/**
 * Written by hand (issue 4, relevance; left alone in an earlier note): a typo's corrections were
 * alternatives of one tsquery, so ranking did not weigh how far each was. `permis de constrire` put
 * three "permis de conduire" entries (3 edits away) above "permis de construire" (1 edit away).
 * `catalogue_nearest_term_query` is `catalogue_term_query` keeping, of the same three corrections, only
 * those at the smallest distance; the search ranks the entries that match with them first (as
 * Meilisearch's typo rule does), and is unchanged for a query that needs no correction.
 */
export const NEAREST = `SELECT word FROM (
               SELECT word, d, min(d) OVER () AS nearest FROM (
                 SELECT word, levenshtein(CASE WHEN prefix THEN left(word, length(t)) ELSE word END, t) AS d FROM (${CANDIDATES}) c) dc) n
             WHERE d = nearest`;

export class NearestCorrectionsFirst1796460000000 implements MigrationInterface {
  name = 'NearestCorrectionsFirst1796460000000';

  public async up(q: QueryRunner): Promise<void> {
    const fn = distinctTermQuery(KNOWN_STEMS, NEAREST, ' SET pg_trgm.similarity_threshold = 0.2');
    const signature = 'FUNCTION catalogue_term_query(term text, prefix boolean)';
    if (!fn.includes(signature)) throw new Error('NearestCorrectionsFirst: the term query function changed shape');
    await q.query(fn.replace(signature, 'FUNCTION catalogue_nearest_term_query(term text, prefix boolean)'));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION catalogue_nearest_term_query(text, boolean)`);
  }
}
