import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { DatasetsController } from './datasets.controller';

@Module({ imports: [CatalogueModule], controllers: [DatasetsController] })
export class DatasetsModule {}
