import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand (issue 4, benchmark at 100,000 entries): while a word is being typed, only the word
 * as typed is a prefix (`regis` → regis*); its English and French stems match as whole stems. A prefix
 * of a stem (`regist:*` for "register") matched every word from "registrar" to "registration" and
 * made the index scan of a two-word query about three times slower, for matches nobody typed.
 * The rest of catalogue_term_query is unchanged (stop words, typo corrections).
 */
/** The function as of this migration (`t`: stems match whole) or before it (`s`: stems as prefixes too). */
export const termQuery = (stems: 't' | 's') => `CREATE OR REPLACE FUNCTION catalogue_term_query(term text, prefix boolean) RETURNS tsquery
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
        result := to_tsquery('simple', s) || to_tsquery('english', ${stems}) || to_tsquery('french', ${stems});
        IF length(t) >= 5 AND t !~ '^[0-9]+$' AND NOT EXISTS (
             SELECT 1 FROM search_words WHERE CASE WHEN prefix THEN word LIKE t || '%' ELSE word = t END) THEN
          SELECT string_agg(w.word, ' | ') INTO fixes FROM (
            SELECT word FROM search_words WHERE word % t ORDER BY similarity(word, t) DESC, word LIMIT 3) w;
          IF fixes IS NOT NULL THEN
            result := result || to_tsquery('simple', fixes) || to_tsquery('english', fixes) || to_tsquery('french', fixes);
          END IF;
        END IF;
        RETURN result;
      END $$`;

export class PrefixOnTypedWord1796360000000 implements MigrationInterface {
  name = 'PrefixOnTypedWord1796360000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(termQuery('t'));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(termQuery('s'));
  }
}
