import { Injectable } from '@nestjs/common';
import type { Viewer } from '../auth/principal';
import type { EntryKind } from '../catalogue/entry.entity';
import { SearchQueryDto, SearchResultDto } from './dto/search.dto';
import { SearchRepository } from './search.repository';

const KIND_OF_PATH: Record<string, EntryKind> = { systems: 'system', datasets: 'dataset', eservices: 'eservice' };
const PATH_OF_KIND: Record<EntryKind, string> = { system: 'systems', dataset: 'datasets', eservice: 'eservices' };

/** Search across the three kinds. The port between the API and a search backend (PostgreSQL today). */
@Injectable()
export class SearchService {
  constructor(private readonly repository: SearchRepository) {}

  async search(query: SearchQueryDto, viewer: Viewer): Promise<SearchResultDto> {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    const result = await this.repository.search(
      { q: query.q ?? '', kind: query.kind ? KIND_OF_PATH[query.kind] : undefined, owner: query.owner, limit, offset },
      viewer,
    );
    const kindFacet: Record<string, number> = {};
    for (const [kind, n] of Object.entries(result.facets.kind)) kindFacet[PATH_OF_KIND[kind as EntryKind]] = n;
    return {
      items: result.rows.map((r) => ({
        id: r.id,
        code: r.code,
        kind: r.kind,
        name: r.name,
        description: r.description,
        owner: r.owner_code ? { code: r.owner_code, name: r.owner_name ?? '' } : null,
        lifecycleStatus: r.lifecycle_status,
        operationalStatus: r.operational_status,
        tags: r.tags,
        score: Math.round(r.score * 10000) / 10000,
        href: `/api/v1/${PATH_OF_KIND[r.kind]}/${r.code}`,
      })),
      total: result.total,
      limit,
      offset,
      facets: { kind: kindFacet, owner: result.facets.owner },
    };
  }
}
