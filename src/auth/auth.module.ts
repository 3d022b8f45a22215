import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ApiKeyStrategy } from './api-key.strategy';
import { ApiKeysService } from './api-keys.service';
import { AppAuthGuard } from './auth.guard';

@Module({
  imports: [PassportModule],
  providers: [ApiKeysService, ApiKeyStrategy, { provide: APP_GUARD, useClass: AppAuthGuard }],
  exports: [ApiKeysService],
})
export class AuthModule {}
