import { DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { AuthModule } from './auth/auth.module';
import { CatalogueModule } from './catalogue/catalogue.module';
import { DatabaseModule } from './database/database.module';
import { DataSourceTarget } from './database/data-source';
import { DatasetsModule } from './datasets/datasets.module';
import { EServicesModule } from './eservices/eservices.module';
import { HealthModule } from './health/health.controller';
import { ImportsModule } from './imports/imports.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { SearchModule } from './search/search.module';
import { SeedModule } from './seed/seed.module';
import { SystemsModule } from './systems/systems.module';
import { ExportsModule } from './exports/exports.module';
import { ReportsModule } from './reports/reports.module';
import { XRoadModule } from './xroad/xroad.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, target: DataSourceTarget): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        DatabaseModule.forRoot(target),
        AuthModule,
        OrganisationsModule,
        CatalogueModule,
        SystemsModule,
        DatasetsModule,
        EServicesModule,
        SearchModule,
        ImportsModule,
        XRoadModule,
        ExportsModule,
        ReportsModule,
        SeedModule,
        HealthModule,
      ],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
