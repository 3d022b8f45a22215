import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module';
import { CatalogueRepository } from './catalogue.repository';
import { CatalogueService } from './catalogue.service';
import { EntryReferences } from './entry-references';
import { ReviewsService } from './reviews.service';
import { TransfersService } from './transfers.service';
import { ReviewsController, TransfersController } from './workflow.controller';
import { WorkflowRepository } from './workflow.repository';
import { QualityBackfillService } from './quality-backfill.service';
import { RelationTypesController } from './relation-types.controller';
import { RelationsRepository } from './relations.repository';
import { RelationsService } from './relations.service';

/** What the three kinds share: lifecycle, reviews, ownership, visibility, history and the write path. */
@Module({
  imports: [OrganisationsModule],
  controllers: [TransfersController, ReviewsController, RelationTypesController],
  providers: [QualityBackfillService, CatalogueService, CatalogueRepository, EntryReferences, WorkflowRepository, TransfersService, ReviewsService, RelationsService, RelationsRepository],
  exports: [CatalogueService, CatalogueRepository, EntryReferences, TransfersService, RelationsService, RelationsRepository, OrganisationsModule],
})
export class CatalogueModule {}
