import { applyDecorators, Controller, createParamDecorator, ExecutionContext, Get, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentViewer } from '../auth/auth.guard';
import type { Viewer } from '../auth/principal';
import { SearchQueryDto, SearchResultDto, SuggestQueryDto, SuggestResultDto } from './dto/search.dto';
import { Kept, Revalidation, SearchService } from './search.service';

/** What the request says about answers the client holds: Cache-Control no-cache or no-store, If-None-Match. */
const ClientCopy = createParamDecorator((_: unknown, context: ExecutionContext): Revalidation => {
  const headers = context.switchToHttp().getRequest<FastifyRequest>().headers;
  return { fresh: /(^|,)\s*no-(cache|store)\s*(,|$)/i.test(headers['cache-control'] ?? ''), ifNoneMatch: headers['if-none-match'] };
});

/** The OpenAPI description of the headers ClientCopy reads and of the 304 they may bring. */
const Revalidated = () =>
  applyDecorators(
    ApiHeader({ name: 'Cache-Control', required: false, description: '`no-cache` computes the answer afresh instead of serving a kept one' }),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'the ETag of an answer you hold: 304 (no body) while it is still the answer' }),
    ApiResponse({ status: 304, description: 'Not modified: the answer of the If-None-Match ETag is still the answer' }),
  );

/**
 * The answer, or 304 when the client's copy is still the answer. Headers: ETag; Cache-Control no-cache
 * (a copy may be kept but must be revalidated); Vary Authorization (answers depend on who asks); and an
 * RFC 9211 Cache-Status saying whether the answer was a kept one.
 */
function answer<T>(reply: FastifyReply, kept: Kept<T>): T | undefined {
  reply.header('cache-status', `interop-catalogue; ${kept.cache === 'hit' ? 'hit' : `fwd=${kept.cache}`}`);
  if (kept.etag) {
    // Added to what is there (CORS has said Vary: Origin), not in its place.
    const vary = [reply.getHeader('vary')].flat().filter(Boolean).join(', ');
    reply.header('etag', kept.etag).header('cache-control', 'no-cache').header('vary', vary ? `${vary}, Authorization` : 'Authorization');
  }
  if (kept.notModified) {
    reply.status(304);
    return undefined;
  }
  return kept.result;
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
  @Revalidated()
  @ApiOkResponse({ type: SearchResultDto })
  async search(@Query() query: SearchQueryDto, @CurrentViewer() viewer: Viewer, @ClientCopy() copy: Revalidation, @Res({ passthrough: true }) reply: FastifyReply) {
    return answer(reply, await this.searchService.search(query, viewer, copy));
  }

  @Get('suggest')
  @ApiOperation({
    summary: 'Autocomplete names and codes',
    description: 'Codes starting with the text, then names starting with it, then names containing words starting with each typed word. Kept and served again like search answers (Cache-Status).',
  })
  @Revalidated()
  @ApiOkResponse({ type: SuggestResultDto })
  async suggest(@Query() query: SuggestQueryDto, @CurrentViewer() viewer: Viewer, @ClientCopy() copy: Revalidation, @Res({ passthrough: true }) reply: FastifyReply) {
    return answer(reply, await this.searchService.suggest(query, viewer, copy));
  }
}
