import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand (issue 4): search relevance, typo tolerance, suggest and the search outbox.
 * Runs on PostgreSQL 15 (the server) and PGlite (PostgreSQL 18).
 *
 * - Documents are split on punctuation before they are parsed, the same way the query is split, so
 *   `foo-bar.com`, URLs, URNs and X-Road ids (`EE/GOV/70000310/rr`) match word by word.
 * - `search_words` is the vocabulary of names, codes, tags, translated and interface names (the A and
 *   B weights), kept by the trigger; a query word of 5+ letters that is in no entry is replaced by its
 *   nearest words there (trigram similarity, indexed), so typos cost one small index lookup instead of
 *   a trigram scan of every entry.
 * - `catalogue_term_query` turns one typed word into the tsquery of that word (simple, English and
 *   French stems, prefix while typing, corrections), in one place for every reader.
 * - `search_outbox`: one row per written entry, in the writing transaction, for external indexes.
 */
export class SearchRelevance1796330000000 implements MigrationInterface {
  name = 'SearchRelevance1796330000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION catalogue_fold(doc text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT btrim(regexp_replace(lower(catalogue_unaccent(coalesce(doc, ''))), '[^[:alnum:]]+', ' ', 'g')) $$`);
    await q.query(`CREATE OR REPLACE FUNCTION catalogue_tsv(doc text, weight "char") RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT setweight(
                 to_tsvector('simple'::regconfig, d) || to_tsvector('english'::regconfig, d) || to_tsvector('french'::regconfig, d),
                 weight)
            FROM (SELECT catalogue_fold(doc) AS d) s $$`);
    await q.query(`CREATE TABLE search_words (word text PRIMARY KEY)`);
    await q.query(`CREATE INDEX ix_search_words_trgm ON search_words USING gin (word gin_trgm_ops)`);
    await q.query(`CREATE INDEX ix_search_words_prefix ON search_words (word text_pattern_ops)`);
    await q.query(`CREATE OR REPLACE FUNCTION catalogue_entry_search_vector() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        interfaces jsonb := CASE WHEN jsonb_typeof(NEW.details->'interfaces') = 'array' THEN NEW.details->'interfaces' ELSE '[]'::jsonb END;
        translated_names text;
        translated_text text;
        interface_names text;
        interface_urls text;
        key_text text;
      BEGIN
        SELECT string_agg(coalesce(t.value->>'name', ''), ' '), string_agg(coalesce(t.value->>'description', ''), ' ')
          INTO translated_names, translated_text
          FROM jsonb_each(CASE WHEN jsonb_typeof(NEW.translations) = 'object' THEN NEW.translations ELSE '{}'::jsonb END) t
         WHERE jsonb_typeof(t.value) = 'object';
        SELECT string_agg(coalesce(i->>'name', ''), ' '),
               string_agg(concat_ws(' ', i->>'baseUrl', i->>'specUrl', i->>'documentationUrl',
                                    concat_ws('/', i#>>'{xroad,instance}', i#>>'{xroad,memberClass}', i#>>'{xroad,memberCode}',
                                               i#>>'{xroad,subsystemCode}', i#>>'{xroad,serviceCode}', i#>>'{xroad,serviceVersion}')), ' ')
          INTO interface_names, interface_urls
          FROM jsonb_array_elements(interfaces) i
         WHERE jsonb_typeof(i) = 'object';
        key_text := concat_ws(' ', array_to_string(NEW.tags, ' '), translated_names, interface_names);
        NEW.search_vector :=
             catalogue_tsv(concat_ws(' ', NEW.name, NEW.code), 'A')
          || catalogue_tsv(key_text, 'B')
          || catalogue_tsv(concat_ws(' ', NEW.description, translated_text, interface_urls, NEW.details->>'homepage',
                                     concat_ws('/', NEW.details#>>'{xroadSubsystem,instance}', NEW.details#>>'{xroadSubsystem,memberClass}', NEW.details#>>'{xroadSubsystem,memberCode}', NEW.details#>>'{xroadSubsystem,subsystemCode}')), 'C');
        INSERT INTO search_words (word)
          SELECT DISTINCT w FROM unnest(string_to_array(catalogue_fold(concat_ws(' ', NEW.name, key_text)), ' ')) w
           WHERE length(w) >= 4 AND w !~ '^[0-9]+$'
          ON CONFLICT DO NOTHING;
        RETURN NEW;
      END $$`);
    // One typed word as a tsquery. Stop words of French or English match nothing on their own (they are
    // dropped unless they are all the query has); a word of 5+ letters that no entry contains also
    // matches its three nearest known words.
    await q.query(`CREATE OR REPLACE FUNCTION catalogue_term_query(term text, prefix boolean) RETURNS tsquery
      LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
      DECLARE
        t text := regexp_replace(lower(catalogue_unaccent(coalesce(term, ''))), '[^[:alnum:]]+', '', 'g');
        s text;
        result tsquery;
        fixes text;
      BEGIN
        IF t = '' THEN RETURN ''::tsquery; END IF;
        s := t || CASE WHEN prefix THEN ':*' ELSE '' END;
        IF NOT prefix AND (numnode(to_tsquery('french', t)) = 0 OR numnode(to_tsquery('english', t)) = 0) THEN
          RETURN ''::tsquery;
        END IF;
        result := to_tsquery('simple', s) || to_tsquery('english', s) || to_tsquery('french', s);
        IF length(t) >= 5 AND t !~ '^[0-9]+$' AND NOT EXISTS (
             SELECT 1 FROM search_words WHERE CASE WHEN prefix THEN word LIKE t || '%' ELSE word = t END) THEN
          SELECT string_agg(w.word, ' | ') INTO fixes FROM (
            SELECT word FROM search_words WHERE word % t ORDER BY similarity(word, t) DESC, word LIMIT 3) w;
          IF fixes IS NOT NULL THEN
            result := result || to_tsquery('simple', fixes) || to_tsquery('english', fixes) || to_tsquery('french', fixes);
          END IF;
        END IF;
        RETURN result;
      END $$`);
    // Suggest and exact-name lookups: prefix of the folded name, whatever the collation.
    await q.query(`CREATE INDEX ix_entries_name_key_prefix ON catalogue_entries (name_key text_pattern_ops)`);
    await q.query(`CREATE INDEX ix_entries_code_prefix ON catalogue_entries (code text_pattern_ops)`);
    await q.query(`CREATE TABLE search_outbox (
        id bigserial PRIMARY KEY,
        entry_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text
      )`);
    await q.query(`CREATE INDEX ix_search_outbox_due ON search_outbox (next_attempt_at, id)`);
    // Existing rows get the new vectors and fill the vocabulary.
    await q.query(`UPDATE catalogue_entries SET name = name`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS search_outbox`);
    await q.query(`DROP INDEX IF EXISTS ix_entries_code_prefix`);
    await q.query(`DROP INDEX IF EXISTS ix_entries_name_key_prefix`);
    await q.query(`DROP FUNCTION IF EXISTS catalogue_term_query(text, boolean)`);
    await q.query(`DROP TABLE IF EXISTS search_words`);
    // catalogue_tsv and the trigger function are left in their new form: the previous one is equivalent
    // for unpunctuated text and a down migration must not need the vocabulary table.
  }
}
