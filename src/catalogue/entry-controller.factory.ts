import { Body, Delete, Get, Headers, HttpCode, Injectable, Param, Patch, Post, Query, Res, Type } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentViewer } from '../auth/auth.guard';
import type { Viewer } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { etagOf, requireIfMatch } from '../common/etag';
import { PageQueryDto } from '../common/pagination.dto';
import { CatalogueService } from './catalogue.service';
import { CreateRelationDto, GraphDto, GraphQueryDto, RelationDto, RelationListDto } from './dto/relation.dto';
import { RelationsService } from './relations.service';
import { ListEntriesQueryDto, TransitionDto } from './dto/list-entries-query.dto';
import { EntryPageDto } from './dto/entry-meta.dto';
import { ClaimDto, CommentDto, HistoryPageDto, ReassignDto, TransferDto, TransferRequestDto } from './dto/workflow.dto';
import { TRANSITION_ACTIONS, TRANSITIONS, TransitionAction } from './entry-policy';
import { pathParamOneOf } from '../common/validation';
import type { KindDefinition } from './kind-definition';
import { TransferDecision, TransfersService } from './transfers.service';

const IF_MATCH = { name: 'If-Match', required: true, description: 'ETag of the entry from the last GET (or *: whatever version is current); 428 without it, 412 when stale' };
const TRANSITION_DOC = TRANSITION_ACTIONS.map((a) => `- \`${a}\`: ${TRANSITIONS[a].from.join(' | ')} → ${TRANSITIONS[a].to}. ${TRANSITIONS[a].summary}.`).join('\n');

/**
 * The REST surface of one kind of entry. Each kind module declares
 * `@Controller('systems') class SystemsController extends EntryController(SYSTEM_KIND) {}`;
 * every route makes one call to a shared service. Who may do what is decided in the services by
 * entry-policy.ts (signed-in callers who may not: 403 on an entry they see, 404 on one they do not).
 */
export function EntryController(def: KindDefinition): Type<object> {
  const label = def.label;
  const Page = EntryPageDto(def.responseDto);
  Object.defineProperty(Page, 'name', { value: `${def.responseDto.name}Page` });

  @Injectable()
  @ApiSecurity('bearer')
  @ApiSecurity('apiKey')
  class KindController {
    constructor(
      readonly catalogue: CatalogueService,
      readonly transfers: TransfersService,
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
    @ApiOperation({ summary: `Get a ${label} by uuid or code (${def.codePrefix}00001)`, description: 'Restricted fields appear only for members of the owner organisation, reviewers and coordinators.' })
    @ApiOkResponse({ type: def.responseDto })
    async get(@Param('ref') ref: string, @CurrentViewer() viewer: Viewer, @Res({ passthrough: true }) reply: FastifyReply) {
      const entry = await this.catalogue.get(def, ref, viewer);
      reply.header('etag', etagOf(entry.version));
      return entry;
    }

    @Post()
    @ApiOperation({ summary: `Create a ${label} as a draft (editors and admins of the owner organisation, coordinators)` })
    @ApiBody({ type: def.createDto })
    @ApiCreatedResponse({ type: def.responseDto, description: 'Location and ETag headers point at the new entry' })
    async create(@Body() body: unknown, @CurrentViewer() viewer: Viewer, @Res({ passthrough: true }) reply: FastifyReply) {
      const entry = await this.catalogue.create(def, body, viewer);
      reply.status(201).header('location', `/api/v1/${def.path}/${entry.code}`).header('etag', etagOf(entry.version));
      return entry;
    }

    @Patch(':ref')
    @ApiOperation({
      summary: `Change a ${label} (JSON merge patch; owner editors and admins, coordinators)`,
      description: 'Fields given replace the stored ones, null removes a field, arrays are replaced whole. Not while in review or retired. The owner changes through a transfer. Needs If-Match.',
    })
    @ApiConsumes('application/merge-patch+json', 'application/json')
    @ApiHeader(IF_MATCH)
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

    @Post(':ref/transitions/:action')
    @ApiOperation({ summary: `Move a ${label} one step through its lifecycle`, description: `Checked against your role (403) and the current status (409 TRANSITION_NOT_ALLOWED); recorded in the history with its comment. Needs If-Match.\n\n${TRANSITION_DOC}` })
    @ApiParam({ name: 'action', enum: TRANSITION_ACTIONS })
    @ApiHeader(IF_MATCH)
    @ApiOkResponse({ type: def.responseDto })
    @HttpCode(200)
    async transition(
      @Param('ref') ref: string,
      @Param('action', pathParamOneOf('action', TRANSITION_ACTIONS)) action: TransitionAction,
      @Body() body: CommentDto,
      @Headers('if-match') ifMatch: string | undefined,
      @CurrentViewer() viewer: Viewer,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const entry = await this.catalogue.transition(def, ref, action, body?.comment, requireIfMatch(ifMatch), viewer);
      reply.header('etag', etagOf(entry.version));
      return entry;
    }

    @Post(':ref/lifecycle')
    @ApiOperation({ summary: `Set any lifecycle status of a ${label} (coordinators' override)`, description: 'For corrections; owners and reviewers use the transitions. Recorded in the history. Needs If-Match.' })
    @ApiHeader(IF_MATCH)
    @ApiOkResponse({ type: def.responseDto })
    @HttpCode(200)
    async setLifecycle(
      @Param('ref') ref: string,
      @Body() body: TransitionDto,
      @Headers('if-match') ifMatch: string | undefined,
      @CurrentViewer() viewer: Viewer,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const entry = await this.catalogue.setLifecycle(def, ref, body.status, body.comment, requireIfMatch(ifMatch), viewer);
      reply.header('etag', etagOf(entry.version));
      return entry;
    }

    @Get(':ref/history')
    @ApiOperation({ summary: `Revisions of a ${label}, newest first`, description: 'Owner members, reviewers and coordinators see everything; others see it from the first publication, without review comments, actors or restricted fields.' })
    @ApiOkResponse({ type: HistoryPageDto })
    history(@Param('ref') ref: string, @Query() query: PageQueryDto, @CurrentViewer() viewer: Viewer) {
      return this.catalogue.history(def, ref, viewer, query.limit ?? 20, query.offset ?? 0);
    }

    @Get(':ref/transfer')
    @ApiOperation({ summary: `The pending transfer or claim of a ${label}` })
    @ApiOkResponse({ type: TransferDto })
    pendingTransfer(@Param('ref') ref: string, @CurrentViewer() viewer: Viewer) {
      return this.transfers.pending(def, ref, viewer);
    }

    @Post(':ref/transfer')
    @ApiOperation({ summary: `Ask another organisation to take over a ${label} (owner editors and admins)`, description: 'An admin of the receiving organisation accepts or declines. One pending transfer per entry. Needs If-Match.' })
    @ApiHeader(IF_MATCH)
    @ApiCreatedResponse({ type: TransferDto, description: 'The pending transfer; the ETag header is the entry\'s new version' })
    async requestTransfer(
      @Param('ref') ref: string,
      @Body() body: TransferRequestDto,
      @Headers('if-match') ifMatch: string | undefined,
      @CurrentViewer() viewer: Viewer,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const { transfer, entryVersion } = await this.transfers.request(def, ref, body.to, body.comment, requireIfMatch(ifMatch), viewer);
      reply.status(201).header('location', `/api/v1/${def.path}/${transfer.entry.code}/transfer`).header('etag', etagOf(entryVersion));
      return transfer;
    }

    @Post(':ref/transfer/:decision')
    @ApiOperation({
      summary: `Accept, decline or cancel the pending transfer of a ${label}`,
      description: 'accept/decline: an admin of the receiving organisation (a coordinator for claims); cancel: the side that asked. Acceptance moves the entry, its lists, counts, facets and search in one transaction. Needs If-Match (of the entry).',
    })
    @ApiParam({ name: 'decision', enum: ['accept', 'decline', 'cancel'] })
    @ApiHeader(IF_MATCH)
    @ApiOkResponse({ type: TransferDto, description: 'The closed transfer; the ETag header is the entry\'s new version' })
    @HttpCode(200)
    async decideTransfer(
      @Param('ref') ref: string,
      @Param('decision', pathParamOneOf('decision', ['accept', 'decline', 'cancel'] as const)) decision: TransferDecision,
      @Body() body: CommentDto,
      @Headers('if-match') ifMatch: string | undefined,
      @CurrentViewer() viewer: Viewer,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const { transfer, entryVersion } = await this.transfers.decide(def, ref, decision, body?.comment, requireIfMatch(ifMatch), viewer);
      reply.header('etag', etagOf(entryVersion));
      return transfer;
    }

    @Post(':ref/claim')
    @ApiOperation({ summary: `Claim an unclaimed ${label} for your organisation (its admins); a coordinator confirms`, description: 'Creates a pending claim; a coordinator accepts it with POST .../transfer/accept. Needs If-Match.' })
    @ApiHeader(IF_MATCH)
    @ApiCreatedResponse({ type: TransferDto, description: 'The pending transfer; the ETag header is the entry\'s new version' })
    async claim(
      @Param('ref') ref: string,
      @Body() body: ClaimDto,
      @Headers('if-match') ifMatch: string | undefined,
      @CurrentViewer() viewer: Viewer,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const { transfer, entryVersion } = await this.transfers.claim(def, ref, body.organisation, body.comment, requireIfMatch(ifMatch), viewer);
      reply.status(201).header('location', `/api/v1/${def.path}/${transfer.entry.code}/transfer`).header('etag', etagOf(entryVersion));
      return transfer;
    }

    @Post(':ref/owner')
    @ApiOperation({ summary: `Reassign a ${label} to another owner directly (coordinators)`, description: 'Cancels a pending transfer. Needs If-Match.' })
    @ApiHeader(IF_MATCH)
    @ApiOkResponse({ type: def.responseDto })
    @HttpCode(200)
    async reassign(
      @Param('ref') ref: string,
      @Body() body: ReassignDto,
      @Headers('if-match') ifMatch: string | undefined,
      @CurrentViewer() viewer: Viewer,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const entry = await this.transfers.reassignEntry(def, ref, body.to, body.comment, requireIfMatch(ifMatch), viewer);
      reply.header('etag', etagOf(entry.version));
      return entry;
    }

    @Delete(':ref')
    @ApiOperation({ summary: `Delete a draft ${label} (owner editors and admins, coordinators)` })
    @ApiHeader(IF_MATCH)
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
