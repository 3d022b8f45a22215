import { MigrationInterface, QueryRunner } from 'typeorm';
import { searchVectorFunction, WORD_UNUSED } from './1796370000000-OwnerInSearchVector';

/**
 * Written by hand (issue 4; left alone in an earlier note, then found to hurt relevance): the typo
 * vocabulary only grew. A word stayed after the public entry holding it was renamed or sent back to
 * review, and a word in the vocabulary is never corrected: once a public name with a typo
 * ("Vernisage") was fixed, a search for `vernisage` found nothing instead of the fixed entry, and the
 * anonymous public could still learn that a no-longer-public entry held the word.
 *
 * The entry trigger now notes the vocabulary words an update takes away from a public entry in
 * search_words_doubt (a queue without keys, so concurrent writers never wait on each other there).
 * `catalogue_sweep_vocabulary()` removes the noted words that no public entry holds and empties the
 * queue; the server runs it every 30 seconds (VocabularySweeper), `search reindex` runs it over every
 * word (`everything`), and this migration once, over every word, for what the vocabulary gathered
 * before. Checking a word is an index scan of the public entries that hold it (about 1 ms for a
 * common word at 100,000 entries), which is why it stays off the write path.
 */
export class VocabularyFollowsPublicWords1796450000000 implements MigrationInterface {
  name = 'VocabularyFollowsPublicWords1796450000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE search_words_doubt (word text NOT NULL)`);
    await q.query(searchVectorFunction(true, true, true));
    await q.query(`CREATE FUNCTION catalogue_sweep_vocabulary(everything boolean DEFAULT false) RETURNS integer
      LANGUAGE plpgsql AS $$
      DECLARE
        removed integer;
      BEGIN
        IF everything THEN
          DELETE FROM search_words_doubt;
          DELETE FROM search_words w WHERE ${WORD_UNUSED};
        ELSE
          WITH doubt AS (DELETE FROM search_words_doubt RETURNING word)
          DELETE FROM search_words w WHERE w.word IN (SELECT word FROM doubt) AND ${WORD_UNUSED};
        END IF;
        GET DIAGNOSTICS removed = ROW_COUNT;
        RETURN removed;
      END $$`);
    await q.query(`SELECT catalogue_sweep_vocabulary(true)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION catalogue_sweep_vocabulary(boolean)`);
    await q.query(searchVectorFunction(true, true));
    await q.query(`DROP TABLE search_words_doubt`);
  }
}
