import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Poller } from '../common/poller';
import { SEARCH_BACKEND, SearchBackend } from './search-backend';
import { SearchDocumentsRepository } from './search-documents';
import { MeilisearchSearchBackend } from './meilisearch-search.backend';

/** Delay before the next attempt after `attempts` failures: exponential from 1 s, capped at 5 min, ±20 % jitter. */
export function outboxBackoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(1000 * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface OutboxRun {
  /** False when another process held the worker lock. */
  ran: boolean;
  pushed: number;
  failed: number;
}

/**
 * Pushes entry changes from the search outbox to Meilisearch: polls, takes the outbox advisory lock
 * (one worker across all replicas), sends a batch (upserts of the entries' current state, deletes of
 * entries that are gone), and deletes the rows once Meilisearch applied them. A failed batch stays in
 * the outbox with its attempts counted and the next attempt backed off, so writes never wait for
 * Meilisearch and the index catches up once it is back. Idle unless the backend is Meilisearch.
 */
@Injectable()
export class SearchOutboxWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SearchOutbox');
  private readonly poller = new Poller(
    () => this.runOnce(),
    (err) => this.logger.error(`outbox run failed: ${err.message}`),
  );
  pollMs = 1000;
  batchSize = 500;

  constructor(
    @Inject(SEARCH_BACKEND) private readonly backend: SearchBackend,
    private readonly documents: SearchDocumentsRepository,
  ) {}

  private get meili(): MeilisearchSearchBackend | undefined {
    return this.backend instanceof MeilisearchSearchBackend ? this.backend : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    const meili = this.meili;
    if (!meili || process.env.SEARCH_OUTBOX_WORKER === 'off') return;
    await meili.ensureIndex().catch((err) => this.logger.warn(`Meilisearch is not reachable yet (${err.message}); changes wait in the outbox`));
    this.poller.start(() => this.pollMs);
  }

  /** One pass over the due rows (tests call it directly). */
  async runOnce(): Promise<OutboxRun> {
    const meili = this.meili;
    if (!meili) return { ran: false, pushed: 0, failed: 0 };
    const result = await this.documents.withWorkerLock(async () => {
      let pushed = 0;
      for (;;) {
        const rows = await this.documents.due(this.batchSize);
        if (!rows.length) return { ran: true, pushed, failed: 0 };
        const ids = [...new Set(rows.map((r) => r.entry_id))];
        try {
          const docs = await this.documents.byIds(ids);
          const present = new Set(docs.map((d) => d.id));
          await meili.apply(docs, ids.filter((id) => !present.has(id)));
        } catch (err) {
          const message = (err as Error).message ?? String(err);
          await this.documents.failed(rows.map((r) => ({ id: r.id, delayMs: outboxBackoffMs(r.attempts + 1) })), message);
          this.logger.warn(`could not push ${ids.length} entries to Meilisearch (${message}); will retry`);
          return { ran: true, pushed, failed: rows.length };
        }
        await this.documents.done(rows.map((r) => r.id));
        pushed += rows.length;
        if (rows.length < this.batchSize) return { ran: true, pushed, failed: 0 };
      }
    });
    return result ?? { ran: false, pushed: 0, failed: 0 };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.poller.stop();
  }
}
