import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { Viewer } from '../auth/principal';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { EntryKind } from '../catalogue/entry.entity';
import { DomainError } from '../common/domain-error';
import { KINDS } from '../kinds';
import { SearchQueryDto, SearchResultDto, SuggestQueryDto, SuggestResultDto } from './dto/search.dto';
import { findMatches, snippetOf } from './highlight';
import { AnswerCache, heapBytesOfJson } from './answer-cache';
import { SEARCH_BACKEND, SearchBackend } from './search-backend';
import { cleanText, fold, queryTerms } from './text-query';

const KIND_OF_PATH: Record<string, EntryKind> = { systems: 'system', datasets: 'dataset', eservices: 'eservice' };
const PATH_OF_KIND: Record<EntryKind, string> = { system: 'systems', dataset: 'datasets', eservice: 'eservices' };

const logger = new Logger('Search');

/** Why a search server failed, without the user and password a MEILI_URL may hold (`http://user:pass@host`). */
function causeOf(err: unknown): string {
  return String((err as Error)?.message ?? err).replace(/\/\/[^/@\s]*@/g, '//');
}

/**
 * Thrown when the search backend cannot answer (e.g. Meilisearch is down); the API says 503, not 500.
 * Why is logged for the operators; callers are not told (it named the search server's internal address).
 */
export function searchUnavailable(cause: unknown): DomainError {
  logger.warn(`search backend unavailable: ${causeOf(cause)}`);
  return new DomainError(HttpStatus.SERVICE_UNAVAILABLE, 'SEARCH_UNAVAILABLE', 'Search is unavailable right now; the catalogue itself still works. Try again in a moment.');
}

/**
 * How a search was answered, as an RFC 9211 Cache-Status value: `hit` (a kept answer, still exact),
 * or forwarded to the backend because none was kept (`uri-miss`), the kept one was computed before the
 * last write (`stale`), the client asked for a fresh one (`request`: Cache-Control: no-cache), or answers
 * are not kept (`bypass`: SEARCH_CACHE_MB=0 or a backend that cannot tell its snapshot).
 */
export type CacheOutcome = 'hit' | 'uri-miss' | 'stale' | 'request' | 'bypass';

/** What decides which entries a viewer sees (the inputs of the visibility rule), as part of a cache key. */
function visibilityKey(viewer: Viewer): string {
  return viewer.seesAll ? 'all' : `m:${[...viewer.memberOf].sort().join(',')};a:${[...viewer.adminOf].sort().join(',')}`;
}

/** An operational status filter must be one the kind (or any kind) has. */
function checkOperationalStatus(query: SearchQueryDto): void {
  if (!query.operationalStatus) return;
  const kind = query.kind ? KIND_OF_PATH[query.kind] : undefined;
  const allowed = [...new Set((kind ? [KINDS[kind]] : Object.values(KINDS)).flatMap((d) => d.operationalStatuses))];
  if (!allowed.includes(query.operationalStatus)) {
    throw DomainError.validation([{ field: 'operationalStatus', message: `operationalStatus must be one of ${allowed.join(', ')}` }]);
  }
}

/** What the client said about answers it holds: Cache-Control: no-cache (`fresh`), If-None-Match. */
export interface Revalidation {
  fresh?: boolean;
  ifNoneMatch?: string;
}

/** An answer, or (`notModified`) word that the client's copy is still the answer. */
export type Kept<T> = { cache: CacheOutcome; etag?: string } & ({ result: T; notModified?: undefined } | { result?: undefined; notModified: true });

/** True when an If-None-Match header lists this ETag (or is `*`); weak tags compare equal to strong ones (RFC 9110 §13.1.2). */
function ifNoneMatches(header: string, etag: string): boolean {
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/** Search across the three kinds, through whichever backend is configured. */
@Injectable()
export class SearchService {
  /** Recent answers, served again only while the database's snapshot is unchanged. */
  readonly answers: AnswerCache<object>;
  /** Makes this process's ETags its own: another version of the code may answer the same request differently. */
  private readonly etagSalt = randomBytes(8);

  constructor(
    @Inject(SEARCH_BACKEND) private readonly backend: SearchBackend,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.answers = new AnswerCache(backend.snapshot ? config.searchCacheMb * 1024 * 1024 : 0);
  }

  /**
   * A search. The answer for the same request and visibility is served again while the database's
   * snapshot is the one it was computed under (one tiny query instead of the search), unless the
   * client asked for a fresh one (Cache-Control: no-cache); see `kept`.
   */
  search(query: SearchQueryDto, viewer: Viewer, http: Revalidation = {}): Promise<Kept<SearchResultDto>> {
    // A request that would be refused is refused before any precondition is checked (RFC 9110 §13.2.1).
    checkOperationalStatus(query);
    const key = ['search', query.q ?? '', query.kind, query.owner, query.lifecycleStatus, query.operationalStatus, query.theme, query.tag, query.limit ?? 20, query.offset ?? 0];
    return this.kept(key, viewer, http, () => this.compute(query, viewer));
  }

  /** Autocomplete, kept like searches. */
  suggest(query: SuggestQueryDto, viewer: Viewer, http: Revalidation = {}): Promise<Kept<SuggestResultDto>> {
    return this.kept(['suggest', query.q ?? '', query.limit ?? 10], viewer, http, () => this.computeSuggest(query, viewer));
  }

  /**
   * The kept answer for this request and visibility if it was computed under the database's current
   * snapshot (one tiny query, asked only when an answer is kept or the client holds one); else a
   * fresh one, kept under the snapshot its own statement saw. The ETag names the request, the
   * visibility and that snapshot, so a client holding the answer of an equal ETag is told 304 without
   * any search.
   */
  private async kept<T extends object>(request: unknown[], viewer: Viewer, http: Revalidation, compute: () => Promise<{ result: T; snapshot?: string }>): Promise<Kept<T>> {
    if (!this.backend.snapshot) return { result: (await compute()).result, cache: 'bypass' };
    const key = JSON.stringify([...request, visibilityKey(viewer)]);
    const etagOf = (snapshot: string) => `"${createHash('sha256').update(this.etagSalt).update(key).update('\0').update(snapshot).digest('base64url').slice(0, 27)}"`;
    const held = http.fresh ? undefined : this.answers.snapshotOf(key);
    const cache: CacheOutcome = !this.answers.enabled ? 'bypass' : http.fresh ? 'request' : held === undefined ? 'uri-miss' : 'stale';
    if (held !== undefined || http.ifNoneMatch) {
      const now = await this.backend.snapshot();
      const etag = etagOf(now);
      if (http.ifNoneMatch && ifNoneMatches(http.ifNoneMatch, etag)) return { notModified: true, etag, cache: held === now ? 'hit' : cache };
      const kept = held === now ? (this.answers.get(key, now) as T | undefined) : undefined;
      if (kept) return { result: kept, cache: 'hit', etag };
    }
    const { result, snapshot } = await compute();
    if (!snapshot) return { result, cache };
    if (this.answers.enabled) this.answers.set(key, snapshot, result, heapBytesOfJson(JSON.stringify(result).length));
    return { result, cache, etag: etagOf(snapshot) };
  }

  private async compute(query: SearchQueryDto, viewer: Viewer): Promise<{ result: SearchResultDto; snapshot?: string }> {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    const kind = query.kind ? KIND_OF_PATH[query.kind] : undefined;
    const q = cleanText(query.q ?? '');
    const result = await this.backend
      .search(
        { q, filters: { kind, owner: query.owner, lifecycleStatus: query.lifecycleStatus, operationalStatus: query.operationalStatus, theme: query.theme, tag: query.tag }, limit, offset },
        viewer,
      )
      .catch((err) => {
        throw err instanceof DomainError ? err : this.backend.name === 'postgres' ? err : searchUnavailable(err);
      });
    const stems = result.stems.length ? result.stems : queryTerms(q).map(fold);
    const kindFacet: Record<string, number> = {};
    for (const [k, n] of Object.entries(result.facets.kind)) kindFacet[PATH_OF_KIND[k as EntryKind] ?? k] = n;
    const answer: SearchResultDto = {
      items: result.hits.map((r) => ({
        id: r.id,
        code: r.code,
        kind: r.kind,
        name: r.name,
        description: r.description,
        owner: r.ownerCode ? { code: r.ownerCode, name: r.ownerName ?? '' } : null,
        lifecycleStatus: r.lifecycleStatus,
        operationalStatus: r.operationalStatus,
        tags: r.tags,
        themes: r.themes,
        score: Math.round(r.score * 10000) / 10000,
        highlight: {
          name: findMatches(r.name, stems),
          description: snippetOf(r.description, stems),
          tags: r.tags.filter((tag) => findMatches(tag, stems).length),
          translatedNames: r.translatedNames.map((text) => ({ text, matches: findMatches(text, stems) })).filter((t) => t.matches.length),
        },
        href: `/api/v1/${PATH_OF_KIND[r.kind]}/${r.code}`,
      })),
      total: result.total,
      totalIsEstimate: result.totalIsEstimate,
      limit,
      offset,
      facets: { ...result.facets, kind: kindFacet },
    };
    return { result: answer, snapshot: result.snapshot };
  }

  private async computeSuggest(query: SuggestQueryDto, viewer: Viewer): Promise<{ result: SuggestResultDto; snapshot?: string }> {
    const q = cleanText(query.q ?? '');
    const { hits, snapshot, stems: found = [] } = await this.backend.suggest(q, query.limit ?? 10, viewer).catch((err) => {
      throw this.backend.name === 'postgres' ? err : searchUnavailable(err);
    });
    const stems = [...new Set([...queryTerms(q).map(fold), ...found])];
    const items = hits.map((h) => ({ ...h, highlight: findMatches(h.name, stems), href: `/api/v1/${PATH_OF_KIND[h.kind]}/${h.code}` }));
    return { result: { items }, snapshot };
  }

  /** Rebuilds the backend from the database (the CLI); a search server that does not answer is SEARCH_UNAVAILABLE, with why (for the operator). */
  async reindex(onProgress?: (done: number, total: number) => void): Promise<number> {
    try {
      return await this.backend.reindex(onProgress);
    } catch (err) {
      if (this.backend.name === 'postgres' || err instanceof DomainError) throw err;
      throw new DomainError(HttpStatus.SERVICE_UNAVAILABLE, 'SEARCH_UNAVAILABLE', `${this.backend.name} could not be reindexed: ${causeOf(err)}`);
    }
  }

  get backendName(): string {
    return this.backend.name;
  }
}
