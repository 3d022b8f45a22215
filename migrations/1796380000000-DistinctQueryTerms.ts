import { MigrationInterface, QueryRunner } from 'typeorm';
import { termQuery } from './1796360000000-PrefixOnTypedWord';

/**
 * Written by hand (issue 4, benchmark at 100,000 entries): a word's query lists each lexeme once.
 * The simple, English and French forms of a word are often the same (`permit` | `permit`), and typo
 * corrections repeat them again; GIN then read the same posting lists two or three times, and a
 * selective two-word query spent 5 ms in the index scan instead of 1.7 ms. Matches are unchanged
 * (a | a is a); ts_rank no longer counts a word whose forms coincide more than once.
 * Otherwise as in PrefixOnTypedWord: only the typed word is a prefix, stop words are dropped, words
 * of 5+ letters unknown to the vocabulary add their three nearest known words.
 */
/**
 * The function as of this migration. Later ones change parts: `knownStems`, a condition added to what
 * counts as a known word (InflectionsAreNotTypos); `candidates`, the query of the corrections
 * (TyposByEditDistance); `settings`, SET clauses of the function.
 */
export const distinctTermQuery = (knownStems = '', candidates = `SELECT word FROM search_words WHERE word % t ORDER BY similarity(word, t) DESC, word LIMIT 3`, settings = '') => {
  const stemsKnown = knownStems ? `\n           ${knownStems} THEN` : ' THEN';
  return `CREATE OR REPLACE FUNCTION catalogue_term_query(term text, prefix boolean) RETURNS tsquery
      LANGUAGE plpgsql STABLE PARALLEL SAFE${settings} AS $$
      DECLARE
        t text := regexp_replace(lower(catalogue_unaccent(coalesce(term, ''))), '[^[:alnum:]]+', '', 'g');
        result tsquery;
        seen text[] := '{}';
        forms tsquery[];
        f tsquery;
        w text;
      BEGIN
        IF t = '' THEN RETURN ''::tsquery; END IF;
        IF NOT prefix AND (numnode(to_tsquery('french', t)) = 0 OR numnode(to_tsquery('english', t)) = 0) THEN
          RETURN ''::tsquery;
        END IF;
        forms := ARRAY[to_tsquery('simple', t || CASE WHEN prefix THEN ':*' ELSE '' END), to_tsquery('english', t), to_tsquery('french', t)];
        IF length(t) >= 5 AND t !~ '^[0-9]+$' AND NOT EXISTS (
             SELECT 1 FROM search_words WHERE CASE WHEN prefix THEN word LIKE t || '%' ELSE word = t END)${stemsKnown}
          FOR w IN ${candidates} LOOP
            forms := forms || ARRAY[to_tsquery('simple', w), to_tsquery('english', w), to_tsquery('french', w)];
          END LOOP;
        END IF;
        FOREACH f IN ARRAY forms LOOP
          IF numnode(f) > 0 AND NOT f::text = ANY (seen) THEN
            seen := seen || f::text;
            result := CASE WHEN result IS NULL THEN f ELSE result || f END;
          END IF;
        END LOOP;
        IF result IS NULL THEN RETURN ''::tsquery; END IF;
        RETURN result;
      END $$`;
};

export class DistinctQueryTerms1796380000000 implements MigrationInterface {
  name = 'DistinctQueryTerms1796380000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(distinctTermQuery());
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(termQuery('t'));
  }
}
