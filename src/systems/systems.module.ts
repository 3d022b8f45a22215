import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { SystemsController } from './systems.controller';

@Module({ imports: [CatalogueModule], controllers: [SystemsController] })
export class SystemsModule {}
