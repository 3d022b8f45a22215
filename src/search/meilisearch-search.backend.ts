import { Logger } from '@nestjs/common';
import { MeiliSearch, type MultiSearchQuery, type SearchResponse, type Settings } from 'meilisearch';
import type { Viewer } from '../auth/principal';
import { meiliString, visibleToMeiliFilter } from '../catalogue/visibility';
import { emptyFacets, FACET_VALUES_LIMIT, FacetName, FACETS, SearchBackend, SearchHit, SearchOutcome, SearchRequest, SuggestOutcome } from './search-backend';
import { SearchDocument, SearchDocumentsRepository } from './search-documents';
import { fold, queryTerms } from './text-query';

/** Document field behind each facet. */
const FACET_FIELD: Record<FacetName, keyof SearchDocument> = {
  kind: 'kind',
  owner: 'ownerCode',
  lifecycleStatus: 'lifecycleStatus',
  operationalStatus: 'operationalStatus',
  theme: 'themes',
  tag: 'tags',
};

/** Index settings: what is searched (in order of weight), filtered, sorted; typos from 5 letters as on PostgreSQL. */
export const MEILI_SETTINGS: Settings = {
  searchableAttributes: ['code', 'name', 'translatedNames', 'tags', 'interfaceNames', 'ownerName', 'description', 'translatedText', 'urls'],
  filterableAttributes: ['kind', 'ownerId', 'ownerCode', 'ownerCodeKey', 'lifecycleStatus', 'operationalStatus', 'themes', 'tags', 'unclaimed', 'reviewerOrgIds', 'transferToOrgIds'],
  sortableAttributes: ['nameKey', 'code', 'updatedAt', 'id'],
  // `sort` last: relevance first, then name and id as tie-breakers (stable pagination).
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'exactness', 'sort'],
  displayedAttributes: ['id', 'code', 'kind', 'name', 'description', 'ownerCode', 'ownerName', 'lifecycleStatus', 'operationalStatus', 'tags', 'themes'],
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 }, disableOnAttributes: ['code'] },
  // Meilisearch does not stem: the common French/English pairs of this domain are synonyms instead.
  synonyms: {
    register: ['registre', 'registry'],
    registre: ['register', 'registry'],
    registry: ['register', 'registre'],
    api: ['interface'],
    company: ['companies', 'entreprise'],
    companies: ['company', 'entreprises'],
    entreprise: ['company', 'entreprises'],
    vehicle: ['vehicles', 'vehicule'],
    vehicule: ['vehicle', 'vehicules'],
    tax: ['taxes', 'impot', 'impots'],
    impot: ['tax', 'impots'],
    health: ['sante'],
    sante: ['health'],
  },
  faceting: { maxValuesPerFacet: FACET_VALUES_LIMIT },
  pagination: { maxTotalHits: 1_000_000 },
};

/** Marks around matched words in Meilisearch's highlighted name (control characters: never in stored text). */
const MATCH_START = '\u0002';
const MATCH_END = '\u0003';
const MATCHED = /\u0002([^\u0003]*)\u0003/g;

type Hit = Pick<SearchDocument, 'id' | 'code' | 'kind' | 'name' | 'description' | 'ownerCode' | 'ownerName' | 'lifecycleStatus' | 'operationalStatus' | 'tags' | 'themes' | 'translatedNames'> & {
  _rankingScore?: number;
};

/**
 * Meilisearch behind the search port, through the official client. PostgreSQL stays the source of
 * truth: documents come from SearchDocumentsRepository (outbox worker, reindex); reads here apply the
 * visibility rule as a filter (catalogue/visibility.ts).
 */
export class MeilisearchSearchBackend implements SearchBackend {
  readonly name = 'meilisearch' as const;
  private readonly logger = new Logger('Meilisearch');
  readonly client: MeiliSearch;

  constructor(
    options: { url: string; apiKey?: string; index: string; timeoutMs?: number },
    private readonly documents: SearchDocumentsRepository,
  ) {
    this.client = new MeiliSearch({ host: options.url, apiKey: options.apiKey, timeout: options.timeoutMs ?? 5000 });
    this.indexUid = options.index;
  }

  readonly indexUid: string;

  private filterFor(req: SearchRequest, viewer: Viewer, except?: FacetName): string[] {
    const f = req.filters;
    const parts: Partial<Record<FacetName, string>> = {
      kind: f.kind && `kind = ${meiliString(f.kind)}`,
      owner: f.owner && `ownerCodeKey = ${meiliString(f.owner.toLowerCase())}`,
      lifecycleStatus: f.lifecycleStatus && `lifecycleStatus = ${meiliString(f.lifecycleStatus)}`,
      operationalStatus: f.operationalStatus && `operationalStatus = ${meiliString(f.operationalStatus)}`,
      theme: f.theme && `themes = ${meiliString(f.theme)}`,
      tag: f.tag && `tags = ${meiliString(f.tag)}`,
    };
    const visible = visibleToMeiliFilter(viewer);
    return [visible, ...FACETS.filter((k) => k !== except).map((k) => parts[k])].filter((x): x is string => !!x);
  }

  async search(req: SearchRequest, viewer: Viewer): Promise<SearchOutcome> {
    const active = FACETS.filter((k) => req.filters[k] !== undefined);
    // Finite pagination gives an exact total; it needs offset to be a multiple of limit.
    const exact = req.offset % req.limit === 0;
    const main: MultiSearchQuery = {
      indexUid: this.indexUid,
      q: req.q,
      filter: this.filterFor(req, viewer),
      facets: FACETS.filter((k) => !active.includes(k)).map((k) => FACET_FIELD[k]),
      sort: ['nameKey:asc', 'id:asc'],
      showRankingScore: true,
      ...(exact ? { hitsPerPage: req.limit, page: req.offset / req.limit + 1 } : { limit: req.limit, offset: req.offset }),
    };
    // Disjunctive facets: one extra query per active filter, without that filter.
    const facetQueries: MultiSearchQuery[] = active.map((k) => ({
      indexUid: this.indexUid,
      q: req.q,
      filter: this.filterFor(req, viewer, k),
      facets: [FACET_FIELD[k]],
      limit: 0,
    }));
    const { results } = await this.client.multiSearch<{ queries: MultiSearchQuery[] }, Hit>({ queries: [main, ...facetQueries] });
    const first = results[0] as SearchResponse<Hit>;
    const facets = emptyFacets();
    const byField = new Map(FACETS.map((k) => [FACET_FIELD[k] as string, k]));
    for (const r of results) {
      for (const [field, values] of Object.entries(r.facetDistribution ?? {})) {
        const name = byField.get(field);
        if (name) facets[name] = values;
      }
    }
    const terms = queryTerms(req.q).map(fold);
    return {
      hits: first.hits.map((h): SearchHit => ({
        id: h.id,
        code: h.code,
        kind: h.kind,
        name: h.name,
        description: h.description,
        ownerCode: h.ownerCode,
        ownerName: h.ownerName,
        lifecycleStatus: h.lifecycleStatus,
        operationalStatus: h.operationalStatus,
        tags: h.tags,
        themes: h.themes,
        translatedNames: h.translatedNames ?? [],
        score: h._rankingScore ?? 0,
      })),
      total: first.totalHits ?? first.estimatedTotalHits ?? 0,
      totalIsEstimate: first.totalHits === undefined,
      facets,
      // Without stems, a word matches when it starts with most of a typed word.
      stems: [...new Set(terms.flatMap((t) => [t, t.length > 5 ? t.slice(0, t.length - 2) : t]))],
    };
  }

  async suggest(q: string, limit: number, viewer: Viewer): Promise<SuggestOutcome> {
    if (!queryTerms(q).length) return { hits: [] };
    const res = await this.client.index<Hit>(this.indexUid).search(q, {
      attributesToSearchOn: ['code', 'name', 'translatedNames'],
      attributesToRetrieve: ['id', 'code', 'kind', 'name'],
      // The words Meilisearch matched (a typo's correction too), between two control characters (a name
      // holding one would at worst miss a highlight), for highlights; positions are found in the name itself.
      attributesToHighlight: ['name'],
      highlightPreTag: MATCH_START,
      highlightPostTag: MATCH_END,
      filter: this.filterFor({ q, filters: {}, limit, offset: 0 }, viewer),
      limit,
    });
    const matched = res.hits.flatMap((h) => [...(h._formatted?.name ?? '').matchAll(MATCHED)].map((m) => fold(m[1])));
    return { hits: res.hits.map((h) => ({ id: h.id, code: h.code, kind: h.kind, name: h.name })), stems: [...new Set(matched)].filter(Boolean) };
  }

  /** Creates the index if needed and applies the settings (idempotent). */
  async ensureIndex(uid = this.indexUid): Promise<void> {
    try {
      await this.client.getIndex(uid);
    } catch {
      await this.client.createIndex(uid, { primaryKey: 'id' }).waitTask({ timeout: 60_000 });
    }
    await this.client.index(uid).updateSettings(MEILI_SETTINGS).waitTask({ timeout: 120_000 });
  }

  /** Adds or replaces documents and deletes the ids that no longer exist; resolves once Meilisearch applied both. */
  async apply(upserts: SearchDocument[], deletes: string[], uid = this.indexUid): Promise<void> {
    const index = this.client.index<SearchDocument>(uid);
    const tasks = [];
    if (upserts.length) tasks.push(await index.addDocuments(upserts, { primaryKey: 'id' }));
    if (deletes.length) tasks.push(await index.deleteDocuments(deletes));
    for (const t of tasks) {
      const done = await this.client.tasks.waitForTask(t.taskUid, { timeout: 60_000 });
      if (done.status !== 'succeeded') throw new Error(`Meilisearch task ${t.taskUid} ${done.status}: ${done.error?.message ?? ''}`);
    }
  }

  /** Builds a fresh index beside the live one, then swaps them, so searches never see a half-built index. */
  async reindex(onProgress?: (done: number, total: number) => void): Promise<number> {
    const coveredUpTo = await this.documents.maxOutboxId();
    const total = await this.documents.countEntries();
    const next = `${this.indexUid}_reindex`;
    await this.client.deleteIndex(next).waitTask({ timeout: 60_000 }).catch(() => undefined);
    await this.ensureIndex(next);
    await this.ensureIndex();
    let done = 0;
    let after: string | null = null;
    for (;;) {
      const page = await this.documents.pageAfter(after, 2000);
      if (!page.length) break;
      await this.apply(page, [], next);
      done += page.length;
      after = page[page.length - 1].id;
      onProgress?.(done, total);
    }
    await this.client.swapIndexes([{ indexes: [this.indexUid, next], rename: false }]).waitTask({ timeout: 60_000 });
    await this.client.deleteIndex(next).waitTask({ timeout: 60_000 });
    if (coveredUpTo) await this.documents.clearUpTo(coveredUpTo);
    this.logger.log(`Reindexed ${done} entries into ${this.indexUid}`);
    return done;
  }
}
