import { MigrationInterface, QueryRunner } from 'typeorm';
import { searchVectorFunction } from './1796370000000-OwnerInSearchVector';

/**
 * Written by hand (issue 4, relevance; found by a new-user check): identifiers written in camel case,
 * as X-Road service codes and product names often are, were one word each: `death of a person` did
 * not find "DeathOfAPerson (NIIS)", `monitoring client` not "MonitoringClient", `kanembe connect` not
 * "KanembéConnect". `catalogue_camel_case_words` gives the words inside such identifiers (accents
 * removed first, so the boundaries are ASCII letters whatever the database's locale); the entry trigger
 * adds those of the name to the name's part (weight A, and so to the name vector suggest reads), those
 * of the interfaces' names and URLs and the X-Road subsystem code to the key text (weight B, with tags
 * and interface names). Only those short texts are split, not descriptions: the split costs writes some
 * 10 µs an entry. Every search vector is recomputed once.
 */
export class CamelCaseWords1796500000000 implements MigrationInterface {
  name = 'CamelCaseWords1796500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION catalogue_camel_case_words(doc text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT string_agg(regexp_replace(regexp_replace(m[1], '([a-z0-9])([A-Z])', '\\1 \\2', 'g'), '([A-Z])([A-Z][a-z])', '\\1 \\2', 'g'), ' ')
              FROM regexp_matches(catalogue_unaccent(coalesce(doc, '')), '([A-Za-z0-9]*[a-z][A-Z][A-Za-z0-9]*)', 'g') m $$`);
    await q.query(searchVectorFunction(true, true, true, true, true));
    await q.query(`UPDATE catalogue_entries SET name = name`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(searchVectorFunction(true, true, true, true));
    await q.query(`UPDATE catalogue_entries SET name = name`);
    await q.query(`DROP FUNCTION catalogue_camel_case_words(text)`);
  }
}
