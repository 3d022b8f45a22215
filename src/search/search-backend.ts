import type { Viewer } from '../auth/principal';
import type { EntryKind } from '../catalogue/entry.entity';

/** Facets every backend counts. Each facet's counts ignore that facet's own filter (so a UI can offer the alternatives). */
export const FACETS = ['kind', 'owner', 'lifecycleStatus', 'operationalStatus', 'theme', 'tag'] as const;
export type FacetName = (typeof FACETS)[number];
export type Facets = Record<FacetName, Record<string, number>>;

export interface SearchFilters {
  kind?: EntryKind;
  /** Organisation code, matched without regard to case. */
  owner?: string;
  lifecycleStatus?: string;
  operationalStatus?: string;
  theme?: string;
  tag?: string;
}

export interface SearchRequest {
  /** Already cleaned of NUL and lone surrogates; may be empty (then everything visible matches). */
  q: string;
  filters: SearchFilters;
  limit: number;
  offset: number;
}

export interface SearchHit {
  id: string;
  code: string;
  kind: EntryKind;
  name: string;
  description: string;
  ownerCode: string | null;
  ownerName: string | null;
  lifecycleStatus: string;
  operationalStatus: string;
  tags: string[];
  themes: string[];
  /** The names of the entry's translations (for highlights: a hit may match only there). */
  translatedNames: string[];
  score: number;
}

export interface SearchOutcome {
  hits: SearchHit[];
  total: number;
  /** True when `total` is an estimate (a backend may estimate very broad queries). */
  totalIsEstimate: boolean;
  facets: Facets;
  /** Folded word stems the backend matched, for highlighting (any word starting with one is a match). */
  stems: string[];
  /** The database snapshot the answer was computed under, from backends that answer from the database itself (see `snapshot`). */
  snapshot?: string;
}

export interface SuggestHit {
  id: string;
  code: string;
  kind: EntryKind;
  name: string;
}

export interface SuggestOutcome {
  hits: SuggestHit[];
  /** As in SearchOutcome. */
  snapshot?: string;
  /** The stems the suggestions were found by, when they are not just the typed words (corrected typos); for highlights. */
  stems?: string[];
}

/**
 * The search port: what the API needs from a search engine. PostgreSQL implements it over the
 * catalogue tables; Meilisearch over an index fed from the outbox. Both apply the one visibility rule
 * (catalogue/visibility.ts) to hits, totals, facets and suggestions.
 */
export interface SearchBackend {
  readonly name: 'postgres' | 'meilisearch';
  search(req: SearchRequest, viewer: Viewer): Promise<SearchOutcome>;
  suggest(q: string, limit: number, viewer: Viewer): Promise<SuggestOutcome>;
  /**
   * The database's current snapshot, for backends that answer from the database itself (they also
   * report the snapshot each answer was computed under): an answer computed under an equal snapshot
   * is still exact (search/answer-cache.ts). Absent on backends that answer from elsewhere
   * (Meilisearch), whose answers are not kept.
   */
  snapshot?(): Promise<string>;
  /** Rebuilds the backend's index from the database; returns the number of entries indexed. */
  reindex(onProgress?: (done: number, total: number) => void): Promise<number>;
}

export const SEARCH_BACKEND = Symbol('SEARCH_BACKEND');

export function emptyFacets(): Facets {
  return { kind: {}, owner: {}, lifecycleStatus: {}, operationalStatus: {}, theme: {}, tag: {} };
}

/** Largest number of values returned per facet (the most frequent first). */
export const FACET_VALUES_LIMIT = 50;
