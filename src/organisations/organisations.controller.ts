import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireRole } from '../auth/auth.guard';
import { etagOf, requireIfMatch } from '../common/etag';
import { CreateOrganisationDto, ListOrganisationsQueryDto, OrganisationDto, OrganisationPageDto, PatchOrganisationDto } from './dto/organisation.dto';
import { OrganisationsService } from './organisations.service';

@ApiTags('organisations')
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get()
  @ApiOperation({ summary: 'List organisations' })
  @ApiOkResponse({ type: OrganisationPageDto })
  list(@Query() query: ListOrganisationsQueryDto) {
    return this.organisations.list(query);
  }

  @Get(':code')
  @ApiOperation({ summary: 'Get an organisation by code' })
  @ApiOkResponse({ type: OrganisationDto })
  async get(@Param('code') code: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const org = await this.organisations.get(code);
    reply.header('etag', etagOf(org.version));
    return org;
  }

  @Post()
  @RequireRole('admin', 'coordinator')
  @ApiSecurity('apiKey')
  @ApiOperation({ summary: 'Create an organisation (coordinators)' })
  @ApiBody({ type: CreateOrganisationDto })
  @ApiCreatedResponse({ type: OrganisationDto })
  async create(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const org = await this.organisations.create(body);
    reply.status(201).header('location', `/api/v1/organisations/${encodeURIComponent(org.code)}`).header('etag', etagOf(org.version));
    return org;
  }

  @Patch(':code')
  @RequireRole('admin', 'coordinator')
  @ApiSecurity('apiKey')
  @ApiOperation({ summary: 'Change an organisation (JSON merge patch, If-Match required)' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag from the last GET (or *: whatever version is current); 428 without it, 412 when stale' })
  @ApiBody({ type: PatchOrganisationDto })
  @ApiOkResponse({ type: OrganisationDto })
  async patch(@Param('code') code: string, @Body() body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const org = await this.organisations.patch(code, body, requireIfMatch(ifMatch));
    reply.header('etag', etagOf(org.version));
    return org;
  }
}
