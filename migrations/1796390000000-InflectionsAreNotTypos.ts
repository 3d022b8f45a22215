import { MigrationInterface, QueryRunner } from 'typeorm';
import { distinctTermQuery } from './1796380000000-DistinctQueryTerms';

/**
 * Written by hand (issue 4, relevance): an inflected form of a known word is not a typo. Before, only
 * a word found as such in the vocabulary (words of names, tags and owners) counted as known, so a
 * plural was "corrected" as well: `registres` also searched "enregistrés" and "register". Now a word
 * whose English or French stem is the stem of a vocabulary word is known too (an index over the
 * vocabulary's stems answers in microseconds). Real typos (`vehical`, `compnies`) have stems no
 * vocabulary word has and are corrected as before. Words found only in descriptions are still
 * treated as unknown: asking the entries themselves costs up to 10 ms for common words.
 */
/** The English and French stems of a vocabulary word. */
export const STEMS = `(to_tsvector('english'::regconfig, word) || to_tsvector('french'::regconfig, word))`;

/** The condition this migration adds to what counts as a known word. */
export const KNOWN_STEMS = `AND NOT EXISTS (SELECT 1 FROM search_words WHERE ${STEMS} @@ (forms[2] || forms[3]))`;

export class InflectionsAreNotTypos1796390000000 implements MigrationInterface {
  name = 'InflectionsAreNotTypos1796390000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_search_words_stems ON search_words USING gin (${STEMS})`);
    await q.query(distinctTermQuery(KNOWN_STEMS));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(distinctTermQuery());
    await q.query(`DROP INDEX ix_search_words_stems`);
  }
}
