import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { ImportService } from './import.service';
import { ImportsController } from './imports.controller';

@Module({ imports: [CatalogueModule], controllers: [ImportsController], providers: [ImportService], exports: [ImportService] })
export class ImportsModule {}
