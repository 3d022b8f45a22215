import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MeilisearchSearchBackend } from './meilisearch-search.backend';
import { PostgresSearchBackend } from './postgres-search.backend';
import { SEARCH_BACKEND } from './search-backend';
import { SearchDocumentsRepository } from './search-documents';
import { SearchOutboxWorker } from './search-outbox.worker';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';
import { VocabularySweeper } from './vocabulary-sweeper';

@Module({
  controllers: [SearchController],
  providers: [
    SearchService,
    PostgresSearchBackend,
    SearchDocumentsRepository,
    SearchOutboxWorker,
    VocabularySweeper,
    {
      provide: SEARCH_BACKEND,
      inject: [APP_CONFIG, PostgresSearchBackend, SearchDocumentsRepository],
      useFactory: (config: AppConfig, postgres: PostgresSearchBackend, documents: SearchDocumentsRepository) =>
        config.searchBackend === 'meilisearch'
          ? new MeilisearchSearchBackend({ url: config.meiliUrl!, apiKey: config.meiliApiKey, index: config.meiliIndex }, documents)
          : postgres,
    },
  ],
  exports: [SearchService, SearchOutboxWorker, SearchDocumentsRepository],
})
export class SearchModule {}
