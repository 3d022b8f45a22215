import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { pathParamUuid } from '../common/validation';
import { ApiKeysService } from './api-keys.service';
import { CurrentViewer } from './auth.guard';
import { AddMemberDto, ApiKeyDto, ApiKeyListDto, ApiKeyListQueryDto, ChangeMemberDto, CreateApiKeyDto, CreatedApiKeyDto, MeDto, MemberDto, MemberListDto } from './dto/users.dto';
import type { Viewer } from './principal';
import type { OrganisationRole } from './user.entity';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiSecurity('bearer')
@ApiSecurity('apiKey')
@Controller()
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  @Get('me')
  @ApiOperation({ summary: 'Who am I: the caller, their memberships and roles (signed in)' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentViewer() viewer: Viewer) {
    return this.users.me(viewer);
  }

  @Get('api-keys')
  @ApiOperation({ summary: 'List API keys: your own; admins see all (optionally of one user)' })
  @ApiOkResponse({ type: ApiKeyListDto })
  async listKeys(@CurrentViewer() viewer: Viewer, @Query() query: ApiKeyListQueryDto) {
    return { items: await this.apiKeys.list(viewer, query.user) };
  }

  @Post('api-keys')
  @ApiOperation({ summary: 'Create an API key acting as you (signed in with a token); admins may create one for another user', description: 'The key is in the response once; only a hash is stored.' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async createKey(@Body() body: CreateApiKeyDto, @CurrentViewer() viewer: Viewer, @Res({ passthrough: true }) reply: FastifyReply) {
    const key = await this.apiKeys.createFor(viewer, body);
    reply.status(201);
    return key;
  }

  @Delete('api-keys/:id')
  @ApiOperation({ summary: 'Revoke an API key (yours, or any for admins)' })
  @ApiOkResponse({ type: ApiKeyDto })
  revokeKey(@Param('id', pathParamUuid('id', 'the id of an API key, as POST /api-keys gave it')) id: string, @CurrentViewer() viewer: Viewer) {
    return this.apiKeys.revoke(id, viewer);
  }
}

@ApiTags('organisations')
@ApiSecurity('bearer')
@ApiSecurity('apiKey')
@Controller('organisations/:code/members')
export class MembersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Members of an organisation (its members and coordinators)' })
  @ApiOkResponse({ type: MemberListDto })
  list(@Param('code') code: string, @CurrentViewer() viewer: Viewer) {
    return this.users.listMembers(viewer, code);
  }

  @Post()
  @ApiOperation({ summary: 'Add a member or change their role (organisation admins and coordinators)' })
  @ApiCreatedResponse({ type: MemberDto })
  add(@Param('code') code: string, @Body() body: AddMemberDto, @CurrentViewer() viewer: Viewer) {
    return this.users.addMember(viewer, code, body);
  }

  @Patch(':userId')
  @ApiOperation({ summary: 'Change a member\'s role (organisation admins and coordinators)' })
  @ApiOkResponse({ type: MemberDto })
  change(@Param('code') code: string, @Param('userId') userId: string, @Body() body: ChangeMemberDto, @CurrentViewer() viewer: Viewer) {
    return this.users.changeMember(viewer, code, userId, body.role as OrganisationRole);
  }

  @Delete(':userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member (organisation admins and coordinators)' })
  @ApiNoContentResponse()
  async remove(@Param('code') code: string, @Param('userId') userId: string, @CurrentViewer() viewer: Viewer) {
    await this.users.removeMember(viewer, code, userId);
  }
}
