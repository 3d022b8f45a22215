import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand (issue 4): the owner organisation's name, acronym and code are searchable, at the
 * lowest weight (D). "UK Hydrographic Office" appears in no API's own text, so its APIs were found by no
 * query naming it (and "hydrographic" was corrected to "demographic"); the Meilisearch backend already
 * searched `ownerName`, now both agree. The vector follows the owner: the entry trigger also fires on a
 * change of owner (transfers, claims), and renaming an organisation recomputes its entries' vectors.
 */
export const searchVectorFunction = (withOwner: boolean, publicWordsOnly = false, removesWords = false, keepsNameVector = false, camelCaseWords = false) => {
  const ownerDecl = withOwner ? '\n        owner_text text;' : '';
  const ownerSelect = withOwner ? "\n        SELECT concat_ws(' ', o.name, o.acronym, o.code) INTO owner_text FROM organisations o WHERE o.id = NEW.owner_id;" : '';
  const ownerPart = withOwner ? "\n          || catalogue_tsv(owner_text, 'D')" : '';
  // Owner words join the vocabulary, so a query naming an owner is not "corrected" to other words.
  const ownerWords = withOwner ? ', owner_text' : '';
  // (CamelCaseWords) The words inside the name, computed once for its part and for the vocabulary.
  const nameWordsDecl = camelCaseWords ? '\n        name_words text := catalogue_camel_case_words(NEW.name);' : '';
  const nameWords = camelCaseWords ? ', name_words' : '';
  return `CREATE OR REPLACE FUNCTION catalogue_entry_search_vector() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        interfaces jsonb := CASE WHEN jsonb_typeof(NEW.details->'interfaces') = 'array' THEN NEW.details->'interfaces' ELSE '[]'::jsonb END;
        translated_names text;
        translated_text text;
        interface_names text;
        interface_urls text;
        key_text text;${ownerDecl}${nameWordsDecl}
      BEGIN${ownerSelect}
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
        key_text := concat_ws(' ', array_to_string(NEW.tags, ' '), translated_names, interface_names${camelCaseWords ? CAMEL_CASE_WORDS : ''});
        ${keepsNameVector ? `NEW.name_vector := catalogue_tsv(concat_ws(' ', NEW.name, NEW.code${nameWords}), 'A');\n        ` : ''}NEW.search_vector :=
             ${keepsNameVector ? 'NEW.name_vector' : "catalogue_tsv(concat_ws(' ', NEW.name, NEW.code), 'A')"}
          || catalogue_tsv(key_text, 'B')
          || catalogue_tsv(concat_ws(' ', NEW.description, translated_text, interface_urls, NEW.details->>'homepage',
                                     concat_ws('/', NEW.details#>>'{xroadSubsystem,instance}', NEW.details#>>'{xroadSubsystem,memberClass}', NEW.details#>>'{xroadSubsystem,memberCode}', NEW.details#>>'{xroadSubsystem,subsystemCode}')), 'C')${ownerPart};
        ${publicWordsOnly ? "IF NEW.lifecycle_status IN ('published', 'deprecated', 'retired') THEN\n        " : ''}INSERT INTO search_words (word)
          SELECT DISTINCT w FROM unnest(string_to_array(catalogue_fold(concat_ws(' ', NEW.name, key_text${ownerWords}${nameWords})), ' ')) w
           WHERE length(w) >= 4 AND w !~ '^[0-9]+$'
          ON CONFLICT DO NOTHING;${publicWordsOnly ? '\n        END IF;' : ''}${removesWords ? `\n        ${NOTE_REMOVED_WORDS}` : ''}
        RETURN NEW;
      END $$`;
};

/**
 * (CamelCaseWords) The words inside names written together in camel case (`DeathOfAPersonListener`,
 * `getAttestationFiscale`, `KanembéConnect`) are searched too, the name as written still matching: those
 * of the entry's name with the name (weight A, so suggest finds them), those of the interfaces' names and
 * URLs and of the X-Road ids in the key text (weight B).
 */
const CAMEL_CASE_WORDS = `,
                              catalogue_camel_case_words(concat_ws(' ', interface_names, interface_urls, NEW.details#>>'{xroadSubsystem,subsystemCode}'))`;

const PUBLIC = `('published', 'deprecated', 'retired')`;

/**
 * (VocabularyFollowsPublicWords) When a public entry loses words (an edit, a rename of its owner) or
 * stops being public (sent back to review), the vocabulary words among them are noted in
 * search_words_doubt; catalogue_sweep_vocabulary() later removes those no public entry holds. Only the
 * lexemes of the old vector that the new one lacks are looked at, so an edit that keeps its words
 * costs two array operations, and one that drops words a few primary-key probes: the check itself
 * (an index scan of every public entry holding the word) waits for the sweep, off the write path.
 */
const NOTE_REMOVED_WORDS = `IF TG_OP = 'UPDATE' AND OLD.lifecycle_status IN ${PUBLIC} AND OLD.search_vector IS NOT NULL THEN
          INSERT INTO search_words_doubt (word)
          SELECT w.word FROM search_words w
           WHERE w.word = ANY (CASE WHEN NEW.lifecycle_status IN ${PUBLIC}
                                    THEN ARRAY(SELECT unnest(tsvector_to_array(OLD.search_vector)) EXCEPT SELECT unnest(tsvector_to_array(NEW.search_vector)))
                                    ELSE tsvector_to_array(OLD.search_vector) END);
        END IF;`;

/**
 * The vocabulary word w.word is one lexeme of the simple configuration (every word the trigger adds
 * is: letters and digits, so the check below cannot miss it), and no public entry holds it.
 */
export const WORD_UNUSED = `tsvector_to_array(to_tsvector('simple'::regconfig, w.word)) = ARRAY[w.word]
           AND NOT EXISTS (SELECT 1 FROM catalogue_entries e
                            WHERE e.lifecycle_status IN ${PUBLIC} AND e.search_vector @@ plainto_tsquery('simple'::regconfig, w.word))`;

export const entryTrigger = (columns: string) => `CREATE TRIGGER catalogue_entries_search_vector
      BEFORE INSERT OR UPDATE OF ${columns} ON catalogue_entries
      FOR EACH ROW EXECUTE FUNCTION catalogue_entry_search_vector()`;

export class OwnerInSearchVector1796370000000 implements MigrationInterface {
  name = 'OwnerInSearchVector1796370000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(searchVectorFunction(true));
    await q.query(`DROP TRIGGER catalogue_entries_search_vector ON catalogue_entries`);
    await q.query(entryTrigger('name, code, description, tags, translations, details, owner_id'));
    await q.query(`CREATE FUNCTION catalogue_owner_renamed() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE catalogue_entries SET owner_id = owner_id WHERE owner_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER organisations_renamed
      AFTER UPDATE OF name, acronym ON organisations
      FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.acronym IS DISTINCT FROM NEW.acronym)
      EXECUTE FUNCTION catalogue_owner_renamed()`);
    await q.query(`UPDATE catalogue_entries SET name = name WHERE owner_id IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER organisations_renamed ON organisations`);
    await q.query(`DROP FUNCTION catalogue_owner_renamed()`);
    await q.query(`DROP TRIGGER catalogue_entries_search_vector ON catalogue_entries`);
    await q.query(entryTrigger('name, code, description, tags, translations, details'));
    await q.query(searchVectorFunction(false));
    await q.query(`UPDATE catalogue_entries SET name = name WHERE owner_id IS NOT NULL`);
  }
}
