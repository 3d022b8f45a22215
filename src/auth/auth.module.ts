import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { OrganisationsModule } from '../organisations/organisations.module';
import { RateLimits } from '../common/rate-limit';
import { ApiKeysService } from './api-keys.service';
import { AppAuthGuard } from './auth.guard';
import { CredentialsStrategy } from './credentials.strategy';
import { OidcVerifier } from './oidc.verifier';
import { MembersController, UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [PassportModule, OrganisationsModule],
  controllers: [UsersController, MembersController],
  providers: [RateLimits, ApiKeysService, UsersRepository, UsersService, OidcVerifier, CredentialsStrategy, { provide: APP_GUARD, useClass: AppAuthGuard }],
  exports: [RateLimits, ApiKeysService, UsersRepository, UsersService],
})
export class AuthModule {}
