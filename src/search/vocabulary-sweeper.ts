import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Poller } from '../common/poller';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { sqlOne } from '../database/sql';

/**
 * Keeps the typo vocabulary to the words public entries hold (VocabularyFollowsPublicWords migration):
 * every VOCABULARY_SWEEP_SECONDS (30; 0 turns it off), the words that updates took away from public
 * entries, noted by the entry trigger, leave the vocabulary unless a public entry still holds them. A
 * word in the vocabulary is never corrected, so a word no public entry holds any more would find
 * nothing. Replicas may sweep at the same time: each noted word is taken by one of them.
 */
@Injectable()
export class VocabularySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('VocabularySweeper');
  private readonly poller = new Poller(
    () => this.sweepOnce(),
    (err) => this.logger.error(`vocabulary sweep failed: ${err.message}`),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.vocabularySweepSeconds > 0) this.poller.start(() => this.config.vocabularySweepSeconds * 1000);
  }

  /** Removes the noted words no public entry holds; the number removed (tests call it directly). */
  async sweepOnce(): Promise<number> {
    return (await sqlOne<{ removed: number }>(this.dataSource, `SELECT catalogue_sweep_vocabulary() AS removed`))?.removed ?? 0;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.poller.stop();
  }
}
