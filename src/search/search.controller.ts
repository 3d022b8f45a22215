import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentViewer } from '../auth/auth.guard';
import type { Viewer } from '../auth/principal';
import { SearchQueryDto, SearchResultDto, SuggestQueryDto, SuggestResultDto } from './dto/search.dto';
import { SearchService } from './search.service';

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
      'Results are ordered by score, then name, then id, so pages neither repeat nor skip entries. Highlights are positions, never HTML.',
  })
  @ApiOkResponse({ type: SearchResultDto })
  search(@Query() query: SearchQueryDto, @CurrentViewer() viewer: Viewer) {
    return this.searchService.search(query, viewer);
  }

  @Get('suggest')
  @ApiOperation({ summary: 'Autocomplete names and codes', description: 'Codes starting with the text, then names starting with it, then names containing words starting with each typed word.' })
  @ApiOkResponse({ type: SuggestResultDto })
  suggest(@Query() query: SuggestQueryDto, @CurrentViewer() viewer: Viewer) {
    return this.searchService.suggest(query, viewer);
  }
}
