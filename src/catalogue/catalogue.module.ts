import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module';
import { CatalogueRepository } from './catalogue.repository';
import { CatalogueService } from './catalogue.service';
import { QualityBackfillService } from './quality-backfill.service';
import { RelationTypesController } from './relation-types.controller';
import { RelationsRepository } from './relations.repository';
import { RelationsService } from './relations.service';

/** What the three kinds share: lifecycle, ownership, visibility, history and the write path. */
@Module({
  imports: [OrganisationsModule],
  controllers: [RelationTypesController],
  providers: [QualityBackfillService, CatalogueService, CatalogueRepository, RelationsService, RelationsRepository],
  exports: [CatalogueService, CatalogueRepository, RelationsService, RelationsRepository, OrganisationsModule],
})
export class CatalogueModule {}
