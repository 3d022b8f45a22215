import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { XRoadController } from './xroad.controller';
import { XRoadImportService } from './xroad-import.service';

@Module({ imports: [CatalogueModule], controllers: [XRoadController], providers: [XRoadImportService], exports: [XRoadImportService] })
export class XRoadModule {}
