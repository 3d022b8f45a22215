import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand (issue 4, benchmark at 100,000 entries): indexes that let the common reads stop early.
 *
 * - Lists filtered by owner (the most common filter) find the page and the total in one index:
 *   equality on owner, kind, lifecycle and operational status, then the list's order (name_key, id).
 *   It replaces the owner-only index, which it serves as well (foreign-key checks use its first column).
 * - Suggest walks names in prefix order: the pattern-ops index gets the id as tie-breaker, so
 *   `ORDER BY name_key USING ~<~, id LIMIT n` reads n index entries instead of every matching name.
 */
export class ListAndSuggestIndexes1796340000000 implements MigrationInterface {
  name = 'ListAndSuggestIndexes1796340000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "ix_entries_owner_list" ON "catalogue_entries" ("owner_id", "kind", "lifecycle_status", "operational_status", "name_key", "id")`,
    );
    await q.query(`DROP INDEX "ix_entries_owner"`);
    await q.query(`DROP INDEX "ix_entries_name_key_prefix"`);
    await q.query(`CREATE INDEX "ix_entries_name_key_prefix" ON "catalogue_entries" (name_key text_pattern_ops, id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_entries_name_key_prefix"`);
    await q.query(`CREATE INDEX "ix_entries_name_key_prefix" ON "catalogue_entries" (name_key text_pattern_ops)`);
    await q.query(`CREATE INDEX "ix_entries_owner" ON "catalogue_entries" ("owner_id")`);
    await q.query(`DROP INDEX "ix_entries_owner_list"`);
  }
}
