import { Body, Delete, Get, Headers, HttpCode, Injectable, Param, Patch, Post, Query, Res, Type } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentViewer, RequireRole } from '../auth/auth.guard';
import type { Viewer } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { etagOf, requireIfMatch } from '../common/etag';
import { CatalogueService } from './catalogue.service';
import { CreateRelationDto, GraphDto, GraphQueryDto, RelationDto, RelationListDto } from './dto/relation.dto';
import { RelationsService } from './relations.service';
import { ListEntriesQueryDto, TransitionDto } from './dto/list-entries-query.dto';
import { EntryPageDto } from './dto/entry-meta.dto';
import type { KindDefinition } from './kind-definition';

/**
 * The REST surface of one kind of entry. Each kind module declares
 * `@Controller('systems') class SystemsController extends EntryController(SYSTEM_KIND) {}`;
 * every route makes one call to the shared CatalogueService.
 */
export function EntryController(def: KindDefinition): Type<object> {
  const label = def.label;
  const Page = EntryPageDto(def.responseDto);
  Object.defineProperty(Page, 'name', { value: `${def.responseDto.name}Page` });

  @Injectable()
  class KindController {
    constructor(
      readonly catalogue: CatalogueService,
      readonly relations: RelationsService,
    ) {}

    @Get()
    @ApiOperation({ summary: `List ${def.path}`, description: 'Filters combine with AND. Drafts and entries in review are only listed for callers who may see them.' })
    @ApiOkResponse({ type: Page })
    list(@Query() query: ListEntriesQueryDto, @CurrentViewer() viewer: Viewer) {
      if (query.operationalStatus && !def.operationalStatuses.includes(query.operationalStatus)) {
        throw DomainError.validation([{ field: 'operationalStatus', message: `operationalStatus must be one of ${def.operationalStatuses.join(', ')}` }]);
      }
      return this.catalogue.list(def, { ...query, limit: query.limit ?? 20, offset: query.offset ?? 0 }, viewer);
    }

    @Get(':ref')
    @ApiOperation({ summary: `Get a ${label} by uuid or code (${def.codePrefix}00001)` })
    @ApiOkResponse({ type: def.responseDto })
    async get(@Param('ref') ref: string, @CurrentViewer() viewer: Viewer, @Res({ passthrough: true }) reply: FastifyReply) {
      const entry = await this.catalogue.get(def, ref, viewer);
      reply.header('etag', etagOf(entry.version));
      return entry;
    }

    @Post()
    @RequireRole('admin', 'coordinator')
    @ApiSecurity('apiKey')
    @ApiOperation({ summary: `Create a ${label} (as a draft)` })
    @ApiBody({ type: def.createDto })
    @ApiCreatedResponse({ type: def.responseDto, description: 'Location and ETag headers point at the new entry' })
    async create(@Body() body: unknown, @CurrentViewer() viewer: Viewer, @Res({ passthrough: true }) reply: FastifyReply) {
      const entry = await this.catalogue.create(def, body, viewer);
      reply.status(201).header('location', `/api/v1/${def.path}/${entry.code}`).header('etag', etagOf(entry.version));
      return entry;
    }

    @Patch(':ref')
    @RequireRole('admin', 'coordinator')
    @ApiSecurity('apiKey')
    @ApiOperation({ summary: `Change a ${label} (JSON merge patch)`, description: 'Fields given replace the stored ones, null removes a field, arrays are replaced whole. Needs If-Match.' })
    @ApiConsumes('application/merge-patch+json', 'application/json')
    @ApiHeader({ name: 'If-Match', required: true, description: 'ETag from the last GET; 428 without it, 412 when stale' })
    @ApiBody({ type: def.patchDto })
    @ApiOkResponse({ type: def.responseDto })
    async patch(
      @Param('ref') ref: string,
      @Body() body: unknown,
      @Headers('if-match') ifMatch: string | undefined,
      @CurrentViewer() viewer: Viewer,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const entry = await this.catalogue.patch(def, ref, body, requireIfMatch(ifMatch), viewer);
      reply.header('etag', etagOf(entry.version));
      return entry;
    }

    @Post(':ref/lifecycle')
    @RequireRole('admin', 'coordinator')
    @ApiSecurity('apiKey')
    @ApiOperation({ summary: `Move a ${label} to another lifecycle status`, description: 'Recorded in the history with its comment. Needs If-Match.' })
    @ApiHeader({ name: 'If-Match', required: true })
    @ApiOkResponse({ type: def.responseDto })
    @HttpCode(200)
    async transition(
      @Param('ref') ref: string,
      @Body() body: TransitionDto,
      @Headers('if-match') ifMatch: string | undefined,
      @CurrentViewer() viewer: Viewer,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const entry = await this.catalogue.transition(def, ref, body.status, body.comment, requireIfMatch(ifMatch), viewer);
      reply.header('etag', etagOf(entry.version));
      return entry;
    }

    @Delete(':ref')
    @RequireRole('admin', 'coordinator')
    @ApiSecurity('apiKey')
    @ApiOperation({ summary: `Delete a draft ${label}` })
    @ApiHeader({ name: 'If-Match', required: true })
    @ApiNoContentResponse()
    @HttpCode(204)
    async remove(@Param('ref') ref: string, @Headers('if-match') ifMatch: string | undefined, @CurrentViewer() viewer: Viewer) {
      await this.catalogue.delete(def, ref, requireIfMatch(ifMatch), viewer);
    }

    @Get(':ref/relations')
    @ApiOperation({
      summary: `Relations of a ${label}`,
      description: 'Both directions, each named as seen from this entry (hosts / hostedBy...). Relations to entries you may not see are left out.',
    })
    @ApiOkResponse({ type: RelationListDto })
    listRelations(@Param('ref') ref: string, @CurrentViewer() viewer: Viewer) {
      return this.relations.list(def, ref, viewer);
    }

    @Post(':ref/relations')
    @RequireRole('admin', 'coordinator')
    @ApiSecurity('apiKey')
    @ApiOperation({
      summary: `Link a ${label} to another entry`,
      description: 'By editors of the source entry\'s owner. An inverse name (hostedBy...) makes this entry the target. Kinds that the type does not link are a 400.',
    })
    @ApiCreatedResponse({ type: RelationDto })
    createRelation(@Param('ref') ref: string, @Body() body: CreateRelationDto, @CurrentViewer() viewer: Viewer) {
      return this.relations.create(def, ref, body, viewer);
    }

    @Delete(':ref/relations/:relationId')
    @RequireRole('admin', 'coordinator')
    @ApiSecurity('apiKey')
    @ApiOperation({ summary: `Remove a relation of a ${label}` })
    @ApiNoContentResponse()
    @HttpCode(204)
    async removeRelation(@Param('ref') ref: string, @Param('relationId') relationId: string, @CurrentViewer() viewer: Viewer) {
      await this.relations.remove(def, ref, relationId, viewer);
    }

    @Get(':ref/graph')
    @ApiOperation({
      summary: `Impact graph around a ${label}`,
      description:
        'dependants: every entry that stops when this one is down (e.g. the e-services behind a register), transitively; dependencies: what it needs. ' +
        'One recursive query; cycles end; depth at most 10. Entries you may not see are left out, and so are paths through them.',
    })
    @ApiOkResponse({ type: GraphDto })
    graph(@Param('ref') ref: string, @Query() query: GraphQueryDto, @CurrentViewer() viewer: Viewer) {
      return this.relations.graph(def, ref, query.direction ?? 'dependants', query.depth ?? 5, viewer);
    }
  }
  return KindController;
}
