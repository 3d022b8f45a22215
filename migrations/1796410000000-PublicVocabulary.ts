import { MigrationInterface, QueryRunner } from 'typeorm';
import { entryTrigger, searchVectorFunction } from './1796370000000-OwnerInSearchVector';

/**
 * Written by hand (issue 4, visibility; found by a new-user check): the typo vocabulary holds only the
 * words of public entries. It took the words of drafts too, and a word in the vocabulary is not
 * corrected, so another organisation's draft named "Regsitre…" turned the correction of `regsitre`
 * off for everyone: anonymous totals fell from 38 to 0, which told them a hidden draft holds the word
 * (and a deleted draft's words stayed). The trigger now adds words only for a public entry and also
 * runs when an entry's lifecycle changes (publication adds its words); the vocabulary is rebuilt
 * from the public entries. Words of entries retired or withdrawn later stay: they were public.
 */
const PUBLIC = `('published', 'deprecated', 'retired')`;
const COLUMNS = 'name, code, description, tags, translations, details, owner_id';

export class PublicVocabulary1796410000000 implements MigrationInterface {
  name = 'PublicVocabulary1796410000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(searchVectorFunction(true, true));
    await q.query(`DROP TRIGGER catalogue_entries_search_vector ON catalogue_entries`);
    await q.query(entryTrigger(`${COLUMNS}, lifecycle_status`));
    await q.query(`DELETE FROM search_words`);
    await q.query(`UPDATE catalogue_entries SET name = name WHERE lifecycle_status IN ${PUBLIC}`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(searchVectorFunction(true));
    await q.query(`DROP TRIGGER catalogue_entries_search_vector ON catalogue_entries`);
    await q.query(entryTrigger(COLUMNS));
    await q.query(`UPDATE catalogue_entries SET name = name`);
  }
}
