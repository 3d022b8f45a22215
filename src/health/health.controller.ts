import { Controller, Get, HttpStatus, Module } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Migrations ran and the database answers' })
  async ready() {
    try {
      const pending = await this.dataSource.showMigrations();
      await this.dataSource.query('SELECT 1');
      if (pending) throw new Error('migrations pending');
    } catch (err) {
      throw new DomainError(HttpStatus.SERVICE_UNAVAILABLE, 'NOT_READY', `Not ready: ${(err as Error).message}`);
    }
    return { status: 'ok', database: this.dataSource.options.driver ? 'embedded' : 'postgresql' };
  }
}

@Module({ controllers: [HealthController] })
export class HealthModule {}
