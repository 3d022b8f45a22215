import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentViewer } from '../auth/auth.guard';
import type { Viewer } from '../auth/principal';
import { SearchQueryDto, SearchResultDto } from './dto/search.dto';
import { SearchService } from './search.service';

@ApiTags('search')
@Controller('search')
export class SearchController {
  constructor(private readonly searchService: SearchService) {}

  @Get()
  @ApiOperation({ summary: 'Search systems, datasets and e-services', description: 'Accent-insensitive, French and English stemming, prefix match on the last word; exact names and codes first. Facets count per kind and owner.' })
  @ApiOkResponse({ type: SearchResultDto })
  search(@Query() query: SearchQueryDto, @CurrentViewer() viewer: Viewer) {
    return this.searchService.search(query, viewer);
  }
}
