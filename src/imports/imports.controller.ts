import { Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentViewer, RequireRole } from '../auth/auth.guard';
import { actorOf, Viewer } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { ImportFormDto, ImportReportDto } from './dto/import-report.dto';
import { ImportFile, ImportService } from './import.service';
import { resolveMapping } from './mapping';

const FLAG = /^(true|false|1|0|yes|no|)$/i;

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
    if (!request.isMultipart()) {
      throw new DomainError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'NOT_MULTIPART', 'Send the files as multipart/form-data (parts: file, mapping, dryRun, publish)');
    }
    const files: ImportFile[] = [];
    const fields: Record<string, string> = {};
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw DomainError.badRequest('UNKNOWN_PART', `Unknown file part ${JSON.stringify(part.fieldname)}; send files as "file"`);
        const content = await part.toBuffer();
        files.push({ filename: part.filename || `file${files.length + 1}.csv`, content });
      } else {
        if (!['mapping', 'dryRun', 'publish'].includes(part.fieldname)) {
          throw DomainError.badRequest('UNKNOWN_PART', `Unknown field ${JSON.stringify(part.fieldname)}; expected mapping, dryRun, publish`);
        }
        fields[part.fieldname] = String(part.value ?? '');
      }
    }
    for (const flag of ['dryRun', 'publish']) {
      if (fields[flag] !== undefined && !FLAG.test(fields[flag])) {
        throw DomainError.validation([{ field: flag, message: `${flag} must be true or false` }]);
      }
    }
    if (!fields.mapping) throw DomainError.validation([{ field: 'mapping', message: 'mapping is required: a preset name or a mapping as JSON' }]);
    return this.imports.run(files, {
      mapping: resolveMapping(fields.mapping),
      dryRun: /^(true|1|yes)$/i.test(fields.dryRun ?? ''),
      publish: /^(true|1|yes)$/i.test(fields.publish ?? ''),
      actor: actorOf(viewer),
    });
  }
}
