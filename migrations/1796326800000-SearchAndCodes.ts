import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand: what TypeORM cannot generate. Code sequences, accent folding and the search
 * vector of entries. Written for PostgreSQL 15 (the server) and runs on PGlite (PostgreSQL 18).
 *
 * The search vector holds every word three ways (simple, English stem, French stem), after accents
 * are removed, so `donnees` and `données` meet and a query in either language stems the same way.
 * Weights: A name and code, B tags, translated names and interface names, C descriptions and URLs.
 */
export class SearchAndCodes1796326800000 implements MigrationInterface {
  name = 'SearchAndCodes1796326800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    for (const seq of ['system_code_seq', 'dataset_code_seq', 'eservice_code_seq', 'organisation_code_seq']) {
      await q.query(`CREATE SEQUENCE IF NOT EXISTS ${seq} START 1`);
    }
    // unaccent() is STABLE (it reads a dictionary); pinning the dictionary makes it safe to declare IMMUTABLE.
    await q.query(`CREATE OR REPLACE FUNCTION catalogue_unaccent(text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$`);
    await q.query(`CREATE OR REPLACE FUNCTION catalogue_tsv(doc text, weight "char") RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT setweight(
                 to_tsvector('simple'::regconfig, d) || to_tsvector('english'::regconfig, d) || to_tsvector('french'::regconfig, d),
                 weight)
            FROM (SELECT lower(catalogue_unaccent(coalesce(doc, ''))) AS d) s $$`);
    await q.query(`CREATE OR REPLACE FUNCTION catalogue_entry_search_vector() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        interfaces jsonb := CASE WHEN jsonb_typeof(NEW.details->'interfaces') = 'array' THEN NEW.details->'interfaces' ELSE '[]'::jsonb END;
        translated_names text;
        translated_text text;
        interface_names text;
        interface_urls text;
      BEGIN
        SELECT string_agg(coalesce(t.value->>'name', ''), ' '), string_agg(coalesce(t.value->>'description', ''), ' ')
          INTO translated_names, translated_text
          FROM jsonb_each(CASE WHEN jsonb_typeof(NEW.translations) = 'object' THEN NEW.translations ELSE '{}'::jsonb END) t
         WHERE jsonb_typeof(t.value) = 'object';
        SELECT string_agg(coalesce(i->>'name', ''), ' '),
               string_agg(concat_ws(' ', i->>'baseUrl', i->>'specUrl', i->>'documentationUrl'), ' ')
          INTO interface_names, interface_urls
          FROM jsonb_array_elements(interfaces) i
         WHERE jsonb_typeof(i) = 'object';
        NEW.search_vector :=
             catalogue_tsv(concat_ws(' ', NEW.name, NEW.code), 'A')
          || catalogue_tsv(concat_ws(' ', array_to_string(NEW.tags, ' '), translated_names, interface_names), 'B')
          || catalogue_tsv(concat_ws(' ', NEW.description, translated_text, interface_urls), 'C');
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER catalogue_entries_search_vector
      BEFORE INSERT OR UPDATE OF name, code, description, tags, translations, details ON catalogue_entries
      FOR EACH ROW EXECUTE FUNCTION catalogue_entry_search_vector()`);
    await q.query(`CREATE INDEX ix_entries_search_vector ON catalogue_entries USING gin (search_vector)`);
    await q.query(`CREATE INDEX ix_entries_name_trgm ON catalogue_entries USING gin (name_key gin_trgm_ops)`);
    // Organisation codes are matched without regard to case (imports write "Insolvency-service" and "insolvency-service").
    await q.query(`CREATE UNIQUE INDEX uq_organisations_code_lower ON organisations (lower(code))`);
    await q.query(`CREATE INDEX ix_entries_tags ON catalogue_entries USING gin (tags)`);
    await q.query(`CREATE INDEX ix_entries_themes ON catalogue_entries USING gin (themes)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_entries_themes`);
    await q.query(`DROP INDEX IF EXISTS ix_entries_tags`);
    await q.query(`DROP INDEX IF EXISTS uq_organisations_code_lower`);
    await q.query(`DROP INDEX IF EXISTS ix_entries_name_trgm`);
    await q.query(`DROP INDEX IF EXISTS ix_entries_search_vector`);
    await q.query(`DROP TRIGGER IF EXISTS catalogue_entries_search_vector ON catalogue_entries`);
    await q.query(`DROP FUNCTION IF EXISTS catalogue_entry_search_vector()`);
    await q.query(`DROP FUNCTION IF EXISTS catalogue_tsv(text, "char")`);
    await q.query(`DROP FUNCTION IF EXISTS catalogue_unaccent(text)`);
    for (const seq of ['organisation_code_seq', 'eservice_code_seq', 'dataset_code_seq', 'system_code_seq']) {
      await q.query(`DROP SEQUENCE IF EXISTS ${seq}`);
    }
  }
}
