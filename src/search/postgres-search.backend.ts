import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Viewer } from '../auth/principal';
import { visibleToSql } from '../catalogue/visibility';
import { sortKey } from '../common/text';
import { sqlOne, sqlRows } from '../database/sql';
import { SqlParams } from '../database/sql-params';
import { emptyFacets, FACET_VALUES_LIMIT, FacetName, FACETS, SearchBackend, SearchHit, SearchOutcome, SearchRequest, SuggestHit, SuggestOutcome } from './search-backend';
import { fold, lastTermIsPrefix, queryTerms, RANK_WEIGHTS, tsQuerySql } from './text-query';

/** Escapes LIKE wildcards so user text is matched literally. */
function likePrefix(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
}

/** The shortest word catalogue_term_query corrects when the vocabulary does not know it. */
const CORRECTED_LENGTH = 5;

/**
 * Added to the rank of an entry that matches a corrected query through the nearest corrections, so
 * that every such entry comes before those that need farther ones (as Meilisearch's typo rule ranks
 * fewer typos before where the words are): above any ts_rank (a name match on a farther correction
 * scored over 1 more than a description match on the nearest), below an exact name (50) or code (100).
 * A name starting with the query (2) holds the typed word itself, so it needs no correction.
 */
const NEAREST_CORRECTION_BOOST = 10;

/**
 * Added to the rank of an entry whose name (or code) holds every typed word as itself, or as one of its
 * corrections, not only through a stem: among equals, "Registre…" comes before "GP Registrations" for
 * `regsitre` (both match the stem `registr`), as Meilisearch's exactness rule orders them.
 */
const EXACT_WORDS_BOOST = 1;

/**
 * Added to the rank of an entry whose owner's code or acronym is the query (`MINSANTE`): the owner is
 * searched at the lowest weight, and the French stem of such a code (`mins`) matched other texts.
 */
const OWNER_BOOST = 5;

/** Matches of corrected words that suggest orders by likeness to the typed text (a bound on its cost). */
const FALLBACK_CANDIDATES = 50;

/** The stems a tsquery holds (`'compani':* | 'companies'` → compani, companies). */
export function lexemesOf(tsquery: string): string[] {
  return [...new Set([...tsquery.matchAll(/'((?:[^']|'')+)'/g)].map((m) => m[1].replace(/''/g, "'")))];
}

/**
 * The default search backend: PostgreSQL full-text search over the catalogue tables (works embedded).
 * One statement returns the page, the total and every facet, so they agree with each other.
 */
@Injectable()
export class PostgresSearchBackend implements SearchBackend {
  readonly name = 'postgres' as const;
  /** Rows per rescore window (see search); a test may lower it to cross windows with a small catalogue. */
  rescoreWindow = 100;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(req: SearchRequest, viewer: Viewer): Promise<SearchOutcome> {
    const p = new SqlParams();
    const visible = visibleToSql(viewer, p);
    const hasWords = queryTerms(req.q).length > 0;
    if (req.q.trim() && !hasWords) return { hits: [], total: 0, totalIsEstimate: false, facets: emptyFacets(), stems: [] };
    const tsq = hasWords ? tsQuerySql(req.q, p) : undefined;
    const f = req.filters;
    // One boolean per filter: a facet counts the rows that pass every filter but its own.
    const filters: Record<FacetName, string> = {
      kind: f.kind ? `e.kind = ${p.add(f.kind)}` : 'TRUE',
      owner: f.owner ? `lower(o.code) = lower(${p.add(f.owner)})` : 'TRUE',
      lifecycleStatus: f.lifecycleStatus ? `e.lifecycle_status = ${p.add(f.lifecycleStatus)}` : 'TRUE',
      operationalStatus: f.operationalStatus ? `e.operational_status = ${p.add(f.operationalStatus)}` : 'TRUE',
      theme: f.theme ? `e.themes @> ARRAY[${p.add(f.theme)}]::text[]` : 'TRUE',
      tag: f.tag ? `e.tags @> ARRAY[${p.add(f.tag)}]::text[]` : 'TRUE',
    };
    const active = FACETS.filter((k) => filters[k] !== 'TRUE');
    const passes = (except?: FacetName) => active.filter((k) => k !== except).map((k) => `f_${k}`).join(' AND ') || 'TRUE';
    // Exact code, then exact name, then names starting with the query, then full-text rank (name > tags > text).
    // Ranking is two-phase (a rescore window, as search engines do): every match gets the cheap ts_rank
    // (frequency and weight); then, within fixed windows of that order, ts_rank_cd (which also rewards
    // words that stand close together) orders the rows. Only the windows that the page overlaps are
    // rescored, so a broad query ranks a few hundred rows exactly, not all its matches; the windows
    // are fixed, so every page comes from the same total order (no duplicates or gaps).
    // Of the corrections of a typo, the nearest rank first (`constrire`: "construire" before "conduire"),
    // as Meilisearch's typo rule does: query.near is the query with only those, or NULL when it is the query.
    // The boosts are computed once per match (bonus) and added to both phases' ranks.
    const typed = req.q.trim();
    const typedParam = tsq ? p.add(typed) : '';
    const bonus = tsq
      ? `CASE WHEN e.code = ${p.add(typed.toUpperCase())} THEN 100 ELSE 0 END
         + CASE WHEN e.name_key = ${p.add(sortKey(req.q))} THEN 50 ELSE 0 END
         + CASE WHEN e.name_key LIKE ${p.add(likePrefix(sortKey(req.q)))} THEN 2 ELSE 0 END
         + CASE WHEN query.near IS NOT NULL AND e.search_vector @@ query.near THEN ${NEAREST_CORRECTION_BOOST} ELSE 0 END
         + CASE WHEN e.name_vector @@ query.exact THEN ${EXACT_WORDS_BOOST} ELSE 0 END
         + CASE WHEN lower(o.code) = lower(${typedParam}) OR lower(o.acronym) = lower(${typedParam}) THEN ${OWNER_BOOST} ELSE 0 END`
      : '0';
    const rank = tsq ? `ts_rank(${RANK_WEIGHTS}, e.search_vector, query.q, 1)` : '0';
    const exact = tsq ? `ts_rank_cd(${RANK_WEIGHTS}, e.search_vector, query.q, 1) + o.bonus` : '0';
    // Only rows that pass every filter are ranked (the others are counted in facets only).
    const ranked = active.map((k) => `(${filters[k]})`).join(' AND ') || 'TRUE';
    const w = this.rescoreWindow;
    const first = Math.floor(req.offset / w) * w;
    const last = Math.ceil((req.offset + req.limit) / w) * w;
    const limit = p.add(req.limit);
    const offset = p.add(req.offset - first);
    // Facets with no filter of their own count the same rows (those passing every filter): one grouped
    // pass serves all the single-valued ones. A facet that is filtered on counts without its own filter.
    const scalarFacets: [FacetName, string][] = [['kind', 'kind'], ['owner', 'owner_code'], ['lifecycleStatus', 'lifecycle_status'], ['operationalStatus', 'operational_status']];
    const shared = scalarFacets.filter(([name]) => !active.includes(name));
    const facetRows = (name: FacetName, value: string) => `
      (SELECT 'facet' AS part, NULL::jsonb AS data, '${name}' AS facet, v AS value, n FROM (
         SELECT ${value} AS v, count(*)::int AS n FROM matched WHERE ${passes(name)} GROUP BY 1) g
        WHERE v IS NOT NULL ORDER BY n DESC, v LIMIT ${FACET_VALUES_LIMIT})`;
    const facetParts: string[] = [];
    if (shared.length) {
      facetParts.push(`
      (SELECT 'facet', NULL::jsonb, facet, v, n FROM (
         SELECT facet, v, n, row_number() OVER (PARTITION BY facet ORDER BY n DESC, v) AS r FROM (
           SELECT CASE ${shared.map(([name, col]) => `WHEN GROUPING(${col}) = 0 THEN '${name}'`).join(' ')} END AS facet,
                  COALESCE(${shared.map(([, col]) => `CASE WHEN GROUPING(${col}) = 0 THEN ${col} END`).join(', ')}) AS v,
                  count(*)::int AS n
             FROM matched WHERE ${passes()}
            GROUP BY GROUPING SETS (${shared.map(([, col]) => `(${col})`).join(', ')})) g
          WHERE v IS NOT NULL) t
        WHERE r <= ${FACET_VALUES_LIMIT})`);
    }
    for (const [name, col] of scalarFacets) if (active.includes(name)) facetParts.push(facetRows(name, col));
    facetParts.push(facetRows('theme', 'unnest(themes)'), facetRows('tag', 'unnest(tags)'));
    // The rank and the boosts are computed in the one pass over the matching rows (no second lookup of
    // each entry), once each, and only for rows that pass the filters.
    const sql = `
      WITH query AS (${
        tsq
          ? `SELECT q, CASE WHEN n::text <> q::text THEN n END AS near, x AS exact
               FROM (SELECT ${tsq} AS q, ${tsQuerySql(req.q, p, 'catalogue_nearest_term_query')} AS n, ${tsQuerySql(req.q, p, 'catalogue_exact_term_query')} AS x) x`
          : `SELECT ''::tsquery AS q, NULL::tsquery AS near, NULL::tsquery AS exact`
      }),
      matched AS MATERIALIZED (
        SELECT e.id, e.kind, o.code AS owner_code, e.lifecycle_status, e.operational_status, e.tags, e.themes, e.name_key,
               ${active.map((k) => `(${filters[k]}) AS f_${k}`).concat('TRUE AS f_all').join(', ')},
               CASE WHEN ${ranked} THEN (${rank})::float8 END AS rank, CASE WHEN ${ranked} THEN (${bonus})::float8 END AS bonus
          FROM catalogue_entries e CROSS JOIN query LEFT JOIN organisations o ON o.id = e.owner_id
         WHERE ${visible} ${tsq ? 'AND e.search_vector @@ query.q' : ''}
      ),
      ordered AS (
        SELECT id, name_key, bonus, row_number() OVER (ORDER BY score DESC, name_key ASC, id ASC) AS pos FROM (
          SELECT id, name_key, bonus, rank + bonus AS score FROM matched WHERE ${passes()} ORDER BY rank + bonus DESC, name_key ASC, id ASC LIMIT ${last}) t
      ),
      page AS (
        SELECT id, score, row_number() OVER (ORDER BY (pos - 1) / ${w}, score DESC, name_key ASC, id ASC) AS rn FROM (
          SELECT o.id, o.pos, o.name_key, (${exact})::float8 AS score
            FROM ordered o ${tsq ? 'JOIN catalogue_entries e ON e.id = o.id CROSS JOIN query' : ''}
           WHERE o.pos > ${first} AND o.pos <= ${last}) rescored
         ORDER BY rn LIMIT ${limit} OFFSET ${offset}
      )
      SELECT 'hit' AS part,
             jsonb_build_object('id', e.id, 'code', e.code, 'kind', e.kind, 'name', e.name, 'description', e.description,
               'ownerCode', o.code, 'ownerName', o.name, 'lifecycleStatus', e.lifecycle_status,
               'operationalStatus', e.operational_status, 'tags', e.tags, 'themes', e.themes, 'score', page.score,
               'translatedNames', coalesce((SELECT jsonb_agg(t.value->>'name') FROM jsonb_each(CASE WHEN jsonb_typeof(e.translations) = 'object' THEN e.translations ELSE '{}' END) t
                                             WHERE jsonb_typeof(t.value->'name') = 'string'), '[]')) AS data,
             NULL AS facet, NULL AS value, page.rn::int AS n
        FROM page JOIN catalogue_entries e ON e.id = page.id LEFT JOIN organisations o ON o.id = e.owner_id
      UNION ALL
      SELECT 'total', NULL, NULL, NULL, count(*)::int FROM matched WHERE ${passes()}
      UNION ALL
      SELECT 'query', NULL, NULL, q::text, 0 FROM query
      UNION ALL
      SELECT 'snapshot', NULL, NULL, pg_current_snapshot()::text, 0
      UNION ALL ${facetParts.join(' UNION ALL ')}`;
    const rows = await sqlRows<{ part: string; data: SearchHit | null; facet: FacetName | null; value: string | null; n: number }>(this.dataSource, sql, p.values);
    const out: SearchOutcome = { hits: [], total: 0, totalIsEstimate: false, facets: emptyFacets(), stems: [] };
    const hits: { hit: SearchHit; rn: number }[] = [];
    for (const r of rows) {
      if (r.part === 'hit' && r.data) hits.push({ hit: r.data, rn: r.n });
      else if (r.part === 'total') out.total = r.n;
      else if (r.part === 'query' && r.value) out.stems = lexemesOf(r.value);
      else if (r.part === 'snapshot' && r.value) out.snapshot = r.value;
      else if (r.part === 'facet' && r.facet && r.value !== null) out.facets[r.facet][r.value] = r.n;
    }
    // UNION ALL does not keep the page's order: restore it from the row numbers.
    out.hits = hits.sort((a, b) => a.rn - b.rn).map((h) => h.hit);
    return out;
  }

  /** The snapshot the next statement would see (xmin:xmax:transactions in progress). */
  async snapshot(): Promise<string> {
    return (await sqlOne<{ s: string }>(this.dataSource, `SELECT pg_current_snapshot()::text AS s`))!.s;
  }

  /**
   * Names and codes for autocomplete: codes starting with the text, then names starting with it, then
   * names with a word starting with each typed word. Each branch is an index scan with a limit.
   * Only when those find fewer than `limit` and a word has 5+ letters (the shortest the search
   * corrects), a last branch takes each word as the search does (its stems, and for a typo its nearest
   * vocabulary words: catalogue_term_query) and matches them in names and codes only: `regsitre`
   * suggests the "Registre…" entries, `registres` the names holding "registre". Its one-time condition
   * keeps it from running at all when the direct branches already filled the list.
   */
  async suggest(q: string, limit: number, viewer: Viewer): Promise<SuggestOutcome> {
    const key = sortKey(q);
    const words = queryTerms(q);
    const terms = words.map((t) => fold(t).replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean);
    if (!key || !terms.length) return { hits: [] };
    const p = new SqlParams();
    const visible = visibleToSql(viewer, p);
    const lim = p.add(limit);
    const prefixLast = lastTermIsPrefix(q);
    const branches = [
      `(SELECT e.id, e.code, e.kind, e.name, e.name_key, 0 AS rank FROM catalogue_entries e
         WHERE e.code LIKE ${p.add(likePrefix(q.trim().toUpperCase()))} AND ${visible} ORDER BY e.code USING ~<~ LIMIT ${lim})`,
      `(SELECT e.id, e.code, e.kind, e.name, e.name_key, 1 FROM catalogue_entries e
         WHERE e.name_key LIKE ${p.add(likePrefix(key))} AND ${visible} ORDER BY e.name_key USING ~<~, e.id LIMIT ${lim})`,
    ];
    if (key.length >= 2) {
      const tsq = terms.map((t, i) => `${t}${prefixLast && i === terms.length - 1 ? ':*' : ''}`).join(' & ');
      branches.push(`(SELECT e.id, e.code, e.kind, e.name, e.name_key, 2 FROM catalogue_entries e
         WHERE e.name_vector @@ to_tsquery('simple', ${p.add(tsq)}) AND ${visible} LIMIT ${lim})`);
    }
    const corrects = terms.some((t) => t.length >= CORRECTED_LENGTH);
    let fallback = '';
    if (corrects) {
      const termQueries = words.map((w, i) => `catalogue_term_query(${p.add(w)}, ${prefixLast && i === words.length - 1})`).join(' && ');
      // Corrections are alternatives (a typo may stand for several words): of the first matches, the
      // names most like what was typed come first (rank 3 to 4), by trigram similarity to a part of the
      // name and to its start, so that `rigistre` puts "Registre…" before "Demande d'extrait du registre…".
      const typed = p.add(key);
      fallback = `, corrected AS (SELECT ${termQueries} AS q),
         fallback AS (
           SELECT id, code, kind, name, name_key,
                  4 - (word_similarity(${typed}, name_key) + similarity(${typed}, left(name_key, length(${typed})))) / 2 AS rank FROM (
             SELECT e.id, e.code, e.kind, e.name, e.name_key FROM catalogue_entries e CROSS JOIN corrected c
              WHERE (SELECT count(DISTINCT id) FROM direct) < ${lim} AND numnode(c.q) > 0 AND e.name_vector @@ c.q AND ${visible}
              LIMIT ${FALLBACK_CANDIDATES}) m
            ORDER BY rank, name_key, id LIMIT ${lim})`;
    }
    // Codes that start with the text in code order (IS00016 before IS00017), then names by their rank and name.
    const order = `rank, CASE WHEN rank = 0 THEN code END, name_key, id`;
    // One row: the suggestions, the snapshot they were found under, and (when the last branch found any) the words it searched.
    const row = await sqlOne<{ hits: SuggestHit[]; snapshot: string; corrected: string | null }>(
      this.dataSource,
      `WITH direct AS (${branches.join(' UNION ALL ')})${fallback}
       SELECT pg_current_snapshot()::text AS snapshot,
              ${corrects ? 'CASE WHEN EXISTS (SELECT 1 FROM fallback) THEN (SELECT q::text FROM corrected) END' : 'NULL'} AS corrected,
              coalesce((
         SELECT json_agg(json_build_object('id', id, 'code', code, 'kind', kind, 'name', name) ORDER BY ${order}) FROM (
           SELECT * FROM (SELECT DISTINCT ON (id) * FROM (SELECT * FROM direct${corrects ? ' UNION ALL SELECT * FROM fallback' : ''}) b ORDER BY id, rank) d
            ORDER BY ${order} LIMIT ${lim}) s), '[]'::json) AS hits`,
      p.values,
    );
    return { hits: row?.hits ?? [], snapshot: row?.snapshot, stems: row?.corrected ? lexemesOf(row.corrected) : undefined };
  }

  /** Recomputes every search vector and the vocabulary (the words of public entries) from the stored entries. */
  async reindex(onProgress?: (done: number, total: number) => void): Promise<number> {
    const total = (await sqlOne<{ n: number }>(this.dataSource, `SELECT count(*)::int AS n FROM catalogue_entries`))?.n ?? 0;
    // The trigger fires on UPDATE OF name; batches keep each transaction short.
    let done = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await sqlRows<{ id: string }>(
        this.dataSource,
        `UPDATE catalogue_entries SET name = name WHERE id IN (SELECT id FROM catalogue_entries WHERE id > $1 ORDER BY id LIMIT 5000) RETURNING id`,
        [after],
      );
      if (!rows.length) break;
      done += rows.length;
      after = rows.map((r) => r.id).sort().pop()!;
      onProgress?.(done, total);
    }
    // The batches added the words of public entries; words no public entry holds any more leave.
    await sqlOne(this.dataSource, `SELECT catalogue_sweep_vocabulary(true)`);
    return done;
  }
}
