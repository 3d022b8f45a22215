import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentViewer, RequireRole } from '../auth/auth.guard';
import { actorOf, Viewer } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { readUploadForm } from '../common/multipart';
import { ImportFormDto, ImportReportDto } from './dto/import-report.dto';
import { ImportService } from './import.service';
import { resolveMapping } from './mapping';

@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportService) {}

  @Post()
  @HttpCode(200)
  @RequireRole('admin', 'coordinator')
  @ApiSecurity('apiKey')
  @ApiOperation({ summary: 'Import CSV files through a mapping (coordinators)', description: 'Idempotent: rows are matched on the mapping\'s match fields. A bad row fails alone; the report lists failed rows and warnings.' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportFormDto })
  @ApiOkResponse({ type: ImportReportDto })
  async import(@Req() request: FastifyRequest, @CurrentViewer() viewer: Viewer): Promise<ImportReportDto> {
    const form = await readUploadForm(request, ['mapping'], '.csv');
    if (!form.fields.mapping) throw DomainError.validation([{ field: 'mapping', message: 'mapping is required: a preset name or a mapping as JSON' }]);
    return this.imports.run(form.files, {
      mapping: resolveMapping(form.fields.mapping),
      dryRun: form.dryRun,
      publish: form.publish,
      actor: actorOf(viewer),
    });
  }
}
