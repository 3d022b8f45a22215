import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Viewer } from '../auth/principal';
import type { EntryKind } from '../catalogue/entry.entity';
import { DomainError } from '../common/domain-error';
import { KINDS } from '../kinds';
import { SearchQueryDto, SearchResultDto, SuggestQueryDto, SuggestResultDto } from './dto/search.dto';
import { findMatches, snippetOf } from './highlight';
import { SEARCH_BACKEND, SearchBackend } from './search-backend';
import { cleanText, fold, queryTerms } from './text-query';

const KIND_OF_PATH: Record<string, EntryKind> = { systems: 'system', datasets: 'dataset', eservices: 'eservice' };
const PATH_OF_KIND: Record<EntryKind, string> = { system: 'systems', dataset: 'datasets', eservice: 'eservices' };

/** Thrown when the search backend cannot answer (e.g. Meilisearch is down); the API says 503, not 500. */
export function searchUnavailable(cause: unknown): DomainError {
  return new DomainError(HttpStatus.SERVICE_UNAVAILABLE, 'SEARCH_UNAVAILABLE', `Search is unavailable right now: ${(cause as Error)?.message ?? cause}`);
}

/** Search across the three kinds, through whichever backend is configured. */
@Injectable()
export class SearchService {
  constructor(@Inject(SEARCH_BACKEND) private readonly backend: SearchBackend) {}

  async search(query: SearchQueryDto, viewer: Viewer): Promise<SearchResultDto> {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    const kind = query.kind ? KIND_OF_PATH[query.kind] : undefined;
    if (query.operationalStatus) {
      const allowed = [...new Set((kind ? [KINDS[kind]] : Object.values(KINDS)).flatMap((d) => d.operationalStatuses))];
      if (!allowed.includes(query.operationalStatus)) {
        throw DomainError.validation([{ field: 'operationalStatus', message: `operationalStatus must be one of ${allowed.join(', ')}` }]);
      }
    }
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
    return {
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
        highlight: { name: findMatches(r.name, stems), description: snippetOf(r.description, stems) },
        href: `/api/v1/${PATH_OF_KIND[r.kind]}/${r.code}`,
      })),
      total: result.total,
      totalIsEstimate: result.totalIsEstimate,
      limit,
      offset,
      facets: { ...result.facets, kind: kindFacet },
    };
  }

  async suggest(query: SuggestQueryDto, viewer: Viewer): Promise<SuggestResultDto> {
    const q = cleanText(query.q ?? '');
    const hits = await this.backend.suggest(q, query.limit ?? 10, viewer).catch((err) => {
      throw this.backend.name === 'postgres' ? err : searchUnavailable(err);
    });
    const stems = queryTerms(q).map(fold);
    return {
      items: hits.map((h) => ({ ...h, highlight: findMatches(h.name, stems), href: `/api/v1/${PATH_OF_KIND[h.kind]}/${h.code}` })),
    };
  }

  reindex(onProgress?: (done: number, total: number) => void): Promise<number> {
    return this.backend.reindex(onProgress);
  }

  get backendName(): string {
    return this.backend.name;
  }
}
