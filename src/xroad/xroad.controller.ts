import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentViewer, RequireRole } from '../auth/auth.guard';
import { actorOf, Viewer } from '../auth/principal';
import { readUploadForm } from '../common/multipart';
import { ImportReportDto } from '../imports/dto/import-report.dto';
import { XRoadImportService } from './xroad-import.service';

/** The multipart form of POST /xroad/imports (documentation only). */
export class XRoadImportFormDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    isArray: true,
    description: 'shared-params.xml, listClients (XML or JSON), listMethods (JSON) and getOpenAPI (JSON) answers, in any order',
  })
  file: unknown;
  @ApiPropertyOptional({ description: 'true: report what would happen, write nothing' }) dryRun?: string;
  @ApiPropertyOptional({ description: 'true: created systems are published' }) publish?: string;
}

@ApiTags('imports')
@Controller('xroad/imports')
export class XRoadController {
  constructor(private readonly xroad: XRoadImportService) {}

  @Post()
  @HttpCode(200)
  @RequireRole('admin', 'coordinator')
  @ApiSecurity('apiKey')
  @ApiOperation({
    summary: 'Import X-Road metadata (coordinators)',
    description:
      'Members become organisations (matched on instance/class/code), subsystems become systems, services become interfaces. Idempotent. ' +
      'What disappeared from a source (per source and instance) is marked missingSince and reported, never deleted.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: XRoadImportFormDto })
  @ApiOkResponse({ type: ImportReportDto })
  async import(@Req() request: FastifyRequest, @CurrentViewer() viewer: Viewer): Promise<ImportReportDto> {
    const form = await readUploadForm(request);
    return this.xroad.run(form.files, {
      dryRun: form.dryRun,
      publish: form.publish,
      actor: actorOf(viewer),
    });
  }
}
