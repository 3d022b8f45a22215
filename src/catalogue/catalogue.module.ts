import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module';
import { CatalogueRepository } from './catalogue.repository';
import { CatalogueService } from './catalogue.service';

/** What the three kinds share: lifecycle, ownership, visibility, history and the write path. */
@Module({
  imports: [OrganisationsModule],
  providers: [CatalogueService, CatalogueRepository],
  exports: [CatalogueService, CatalogueRepository, OrganisationsModule],
})
export class CatalogueModule {}
