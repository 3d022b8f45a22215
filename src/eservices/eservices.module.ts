import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { EServicesController } from './eservices.controller';

@Module({ imports: [CatalogueModule], controllers: [EServicesController] })
export class EServicesModule {}
