import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every GIN index that search, suggest and typo correction read. */
export const SEARCHED_GIN_INDEXES = [
  'ix_entries_search_vector',
  'ix_entries_name_vector',
  'ix_entries_name_trgm',
  'ix_entries_tags',
  'ix_entries_themes',
  'ix_search_words_trgm',
  'ix_search_words_stems',
];

/** Kilobytes of not-yet-merged entries a GIN index may hold (PostgreSQL's default is 4096). */
export const GIN_PENDING_LIST_KB = 512;

/**
 * Written by hand (issue 4, search speed after writes): a GIN index takes new entries into a pending
 * list that every scan of the index reads in full, and merges it into the index proper only when the
 * list passes gin_pending_list_limit (4 MB by default) or a vacuum runs. After an import of 9,000 rows
 * into 100,000 entries the lists held 2–3 MB, unmerged until some 20,000 more inserts woke
 * autovacuum: a typo suggestion took 6.2 ms instead of 1.0 (`metorologie`), a selective search 8.5 ms
 * instead of 7.3 (measured before and after gin_clean_pending_list). With 512 kB the lists are merged
 * eight times as often, which costs writes about 5 % (3,000 inserted entries: 1.37 s against 1.42 s),
 * and no scan reads more than 512 kB of them.
 */
export class BoundedGinPendingLists1796480000000 implements MigrationInterface {
  name = 'BoundedGinPendingLists1796480000000';

  public async up(q: QueryRunner): Promise<void> {
    for (const index of SEARCHED_GIN_INDEXES) {
      await q.query(`ALTER INDEX ${index} SET (gin_pending_list_limit = ${GIN_PENDING_LIST_KB})`);
      await q.query(`SELECT gin_clean_pending_list('${index}'::regclass)`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const index of SEARCHED_GIN_INDEXES) await q.query(`ALTER INDEX ${index} RESET (gin_pending_list_limit)`);
  }
}
