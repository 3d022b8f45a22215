import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { CsvExportService } from './csv-export.service';
import { ExportsController } from './exports.controller';
import { RdfExportService } from './rdf-export.service';

@Module({ imports: [CatalogueModule], controllers: [ExportsController], providers: [RdfExportService, CsvExportService], exports: [RdfExportService, CsvExportService] })
export class ExportsModule {}
