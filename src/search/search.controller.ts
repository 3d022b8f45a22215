import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentViewer } from '../auth/auth.guard';
import type { Viewer } from '../auth/principal';
import { SearchQueryDto, SearchResultDto, SuggestQueryDto, SuggestResultDto } from './dto/search.dto';
import { CacheOutcome, SearchService } from './search.service';

const NO_CACHE_HEADER = { name: 'Cache-Control', required: false, description: '`no-cache` computes the answer afresh instead of serving a kept one' };

/** The client asked for a fresh answer (Cache-Control: no-cache or no-store). */
function noCache(header: string | undefined): boolean {
  return /(^|,)\s*no-(cache|store)\s*(,|$)/i.test(header ?? '');
}

/** The answer, with an RFC 9211 Cache-Status header saying whether it was a kept one. */
function answer<T>(reply: FastifyReply, { result, cache }: { result: T; cache: CacheOutcome }): T {
  reply.header('cache-status', `interop-catalogue; ${cache === 'hit' ? 'hit' : `fwd=${cache}`}`);
  return result;
}

@ApiTags('search')
@Controller('search')
export class SearchController {
  constructor(private readonly searchService: SearchService) {}

  @Get()
  @ApiOperation({
    summary: 'Search systems, datasets and e-services',
    description:
      'Accent-insensitive, French and English word forms, typo-tolerant for words of 5+ letters, prefix match on the last word; exact codes and names first. ' +
      'Facets (kind, owner, lifecycle and operational status, theme, tag) count the hits you may see, each ignoring its own filter. ' +
      'Results are ordered by score, then name, then id, so pages neither repeat nor skip entries. Highlights are positions, never HTML. ' +
      'Recent answers are kept and served again only while the database is unchanged since they were computed (never stale); ' +
      'the Cache-Status header (RFC 9211) says whether this one was (`hit`) or why not (`fwd=…`).',
  })
  @ApiHeader(NO_CACHE_HEADER)
  @ApiOkResponse({ type: SearchResultDto })
  async search(
    @Query() query: SearchQueryDto,
    @CurrentViewer() viewer: Viewer,
    @Headers('cache-control') cacheControl: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(reply, await this.searchService.search(query, viewer, noCache(cacheControl)));
  }

  @Get('suggest')
  @ApiOperation({
    summary: 'Autocomplete names and codes',
    description: 'Codes starting with the text, then names starting with it, then names containing words starting with each typed word. Kept and served again like search answers (Cache-Status).',
  })
  @ApiHeader(NO_CACHE_HEADER)
  @ApiOkResponse({ type: SuggestResultDto })
  async suggest(
    @Query() query: SuggestQueryDto,
    @CurrentViewer() viewer: Viewer,
    @Headers('cache-control') cacheControl: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(reply, await this.searchService.suggest(query, viewer, noCache(cacheControl)));
  }
}
