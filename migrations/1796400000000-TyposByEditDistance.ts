import { MigrationInterface, QueryRunner } from 'typeorm';
import { distinctTermQuery } from './1796380000000-DistinctQueryTerms';
import { KNOWN_STEMS } from './1796390000000-InflectionsAreNotTypos';

/**
 * Written by hand (issue 4, relevance): typo corrections are chosen by edit distance. Trigram
 * similarity alone (at least 0.3, the three most similar) overreached: `compnies` also searched
 * "compte" and "copie" (similar letters, 4+ edits away), and transpositions score low
 * (`hygeine`/"hygiene" 0.33, below "compte"; `notfiy`/"notify" 0.27, not a candidate at all). Now
 * trigrams gather candidates more widely (similarity at least 0.2, through the trigram index: some 100
 * words, under 1 ms), and a candidate is kept only if it is at most 2 edits away (3 for words of 8+
 * letters; while typing, from the word's start of the same length), nearest first.
 */
export const CANDIDATES = `SELECT word FROM search_words
             WHERE word % t
               AND levenshtein(CASE WHEN prefix THEN left(word, length(t)) ELSE word END, t) <= CASE WHEN length(t) >= 8 THEN 3 ELSE 2 END
             ORDER BY levenshtein(CASE WHEN prefix THEN left(word, length(t)) ELSE word END, t), similarity(word, t) DESC, word LIMIT 3`;

export class TyposByEditDistance1796400000000 implements MigrationInterface {
  name = 'TyposByEditDistance1796400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS fuzzystrmatch`);
    await q.query(distinctTermQuery(KNOWN_STEMS, CANDIDATES, ' SET pg_trgm.similarity_threshold = 0.2'));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(distinctTermQuery(KNOWN_STEMS));
    await q.query(`DROP EXTENSION IF EXISTS fuzzystrmatch`);
  }
}
