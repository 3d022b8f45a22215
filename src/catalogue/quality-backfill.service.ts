import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { sqlRows } from '../database/sql';
import { EntryRow, ENTRY_SELECT } from './catalogue.repository';
import { valuesOf } from './entry.mapper';
import { assessQuality } from './quality';

/**
 * Entries written before completeness scores existed have score 0 and nothing listed as missing, a
 * state no computed score has (0 means every recommended field is missing). Scores are derived data,
 * so they are filled in at start-up without a new version or revision.
 */
@Injectable()
export class QualityBackfillService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Quality');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.backfill();
  }

  async backfill(): Promise<number> {
    let done = 0;
    for (;;) {
      const rows = await sqlRows<EntryRow>(this.dataSource, `${ENTRY_SELECT} WHERE e.quality_score = 0 AND e.quality_missing = '{}' ORDER BY e.id LIMIT 500`);
      if (!rows.length) break;
      for (const row of rows) {
        const q = assessQuality(row.kind, valuesOf(row));
        // A fully complete entry scores 100, so the loop always makes progress.
        await sqlRows(this.dataSource, `UPDATE catalogue_entries SET quality_score = $1, quality_missing = $2::text[] WHERE id = $3`, [q.score, q.missing, row.id]);
      }
      done += rows.length;
    }
    if (done) this.logger.log(`Computed the completeness score of ${done} entries`);
    return done;
  }
}
