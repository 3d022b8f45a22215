import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand (issue 4, suggest at 100,000 entries): the planner keeps statistics of the
 * 10,000 most common lexemes of the search vectors instead of 1,000. With the default, a word in no
 * name (or in a handful) was estimated at some 200 matches, so suggest's name-word branch (a scan
 * with LIMIT 10) read the whole table hoping to stop early: ~200 ms for `douanne` at 100,000 entries
 * instead of under 3 ms through the GIN index. ANALYZE then samples up to 300,000 rows (some 3 s at
 * 100,000 entries, in autovacuum's background afterwards); planning times did not change (measured).
 */
export class SearchVectorStatistics1796420000000 implements MigrationInterface {
  name = 'SearchVectorStatistics1796420000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE catalogue_entries ALTER COLUMN search_vector SET STATISTICS 1000`);
    await q.query(`ANALYZE catalogue_entries`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE catalogue_entries ALTER COLUMN search_vector SET STATISTICS -1`);
    await q.query(`ANALYZE catalogue_entries`);
  }
}
