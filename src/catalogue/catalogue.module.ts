import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module';
import { CatalogueRepository } from './catalogue.repository';
import { CatalogueService } from './catalogue.service';
import { ReviewsService } from './reviews.service';
import { TransfersService } from './transfers.service';
import { ReviewsController, TransfersController } from './workflow.controller';
import { WorkflowRepository } from './workflow.repository';

/** What the three kinds share: lifecycle, reviews, ownership, visibility, history and the write path. */
@Module({
  imports: [OrganisationsModule],
  controllers: [TransfersController, ReviewsController],
  providers: [CatalogueService, CatalogueRepository, WorkflowRepository, TransfersService, ReviewsService],
  exports: [CatalogueService, CatalogueRepository, TransfersService, OrganisationsModule],
})
export class CatalogueModule {}
