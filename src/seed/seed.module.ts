import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { SeedService } from './seed.service';

@Module({ imports: [CatalogueModule], providers: [SeedService], exports: [SeedService] })
export class SeedModule {}
