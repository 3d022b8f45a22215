import { Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentViewer, RequireRole } from '../auth/auth.guard';
import { actorOf, Viewer } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { ImportReportDto } from '../imports/dto/import-report.dto';
import type { ImportFile } from '../imports/import.service';
import { XRoadImportService } from './xroad-import.service';

const FLAG = /^(true|false|1|0|yes|no|)$/i;

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
    if (!request.isMultipart()) {
      throw new DomainError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'NOT_MULTIPART', 'Send the files as multipart/form-data (parts: file, dryRun, publish)');
    }
    const files: ImportFile[] = [];
    const fields: Record<string, string> = {};
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw DomainError.badRequest('UNKNOWN_PART', `Unknown file part ${JSON.stringify(part.fieldname)}; send files as "file"`);
        files.push({ filename: part.filename || `file${files.length + 1}`, content: await part.toBuffer() });
      } else {
        if (!['dryRun', 'publish'].includes(part.fieldname)) throw DomainError.badRequest('UNKNOWN_PART', `Unknown field ${JSON.stringify(part.fieldname)}; expected dryRun, publish`);
        fields[part.fieldname] = String(part.value ?? '');
      }
    }
    for (const flag of ['dryRun', 'publish']) {
      if (fields[flag] !== undefined && !FLAG.test(fields[flag])) throw DomainError.validation([{ field: flag, message: `${flag} must be true or false` }]);
    }
    return this.xroad.run(files, {
      dryRun: /^(true|1|yes)$/i.test(fields.dryRun ?? ''),
      publish: /^(true|1|yes)$/i.test(fields.publish ?? ''),
      actor: actorOf(viewer),
    });
  }
}
