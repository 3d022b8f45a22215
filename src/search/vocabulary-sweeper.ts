import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { Poller } from '../common/poller';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { sqlOne } from '../database/sql';

/**
 * Keeps the typo vocabulary to the words public entries hold (VocabularyFollowsPublicWords migration):
 * the words that updates took away from public entries, noted by the entry trigger, leave the
 * vocabulary unless a public entry still holds them. A word in the vocabulary is never corrected, so a
 * word no public entry holds any more would find nothing, and would tell anonymous users, through what
 * their searches find, that some hidden entry holds it. So this process sweeps right after each of its
 * transactions commits (a statement that finds nothing to do when nothing was noted), and every
 * VOCABULARY_SWEEP_SECONDS (30; 0 turns both off) for what other replicas or processes noted.
 * Replicas may sweep at the same time: each noted word is taken by one of them.
 */
@Injectable()
export class VocabularySweeper implements OnApplicationBootstrap, OnApplicationShutdown, EntitySubscriberInterface {
  private readonly logger = new Logger('VocabularySweeper');
  private readonly poller = new Poller(
    () => this.sweepOnce(),
    (err) => this.logger.error(`vocabulary sweep failed: ${err.message}`),
  );
  /** The sweep that follows commits: at most one running and one more asked for. */
  private afterCommit?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.vocabularySweepSeconds > 0) {
      this.poller.start(() => this.config.vocabularySweepSeconds * 1000);
      this.dataSource.subscribers.push(this);
    }
  }

  /** TypeORM calls this after a COMMIT (and after a savepoint is released: those are left out). */
  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (!event.queryRunner.isTransactionActive) this.sweepSoon();
  }

  private sweepSoon(): void {
    if (this.stopped) return;
    if (this.afterCommit) {
      this.again = true;
      return;
    }
    this.afterCommit = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.sweepOnce())
      .then(
        () => undefined,
        (err: Error) => this.logger.error(`vocabulary sweep failed: ${err.message}`),
      )
      .finally(() => {
        this.afterCommit = undefined;
        if (this.again) {
          this.again = false;
          this.sweepSoon();
        }
      });
  }

  /** Removes the noted words no public entry holds; the number removed (tests call it directly). */
  async sweepOnce(): Promise<number> {
    return (await sqlOne<{ removed: number }>(this.dataSource, `SELECT catalogue_sweep_vocabulary() AS removed`))?.removed ?? 0;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    const i = this.dataSource.subscribers.indexOf(this);
    if (i >= 0) this.dataSource.subscribers.splice(i, 1);
    await this.poller.stop();
    await this.afterCommit;
  }
}
