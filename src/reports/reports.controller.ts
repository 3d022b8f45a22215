import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentViewer, RequireRole } from '../auth/auth.guard';
import type { Viewer } from '../auth/principal';
import { OnceOnlyQueryDto, OnceOnlyReportDto, QualityQueryDto, QualityReportDto } from './reports.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('once-only')
  @ApiOperation({
    summary: 'Once-only report: evidence e-services ask for although a register already holds it',
    description:
      'Each item names the e-service, the evidence, the register that holds it and its owner, and the interfaces (X-Road services first) that already expose it: ' +
      'the list of cheapest digitalisation wins. Evidence marked suppliedBy=administration is already fetched and left out. Only entries you may see.',
  })
  @ApiOkResponse({ type: OnceOnlyReportDto })
  onceOnly(@Query() query: OnceOnlyQueryDto, @CurrentViewer() viewer: Viewer) {
    return this.reports.onceOnly(viewer, query);
  }

  @Get('quality')
  @RequireRole('admin', 'coordinator')
  @ApiSecurity('apiKey')
  @ApiOperation({
    summary: 'Completeness of entries, weakest first (owners and coordinators)',
    description: 'Each entry\'s score (share of its kind\'s recommended fields that are filled) and the fields still missing; lifecycleStatus=in_review gives the review screen\'s list.',
  })
  @ApiOkResponse({ type: QualityReportDto })
  quality(@Query() query: QualityQueryDto, @CurrentViewer() viewer: Viewer) {
    return this.reports.quality(viewer, query);
  }
}
