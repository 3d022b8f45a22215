import type { DataSource, QueryRunner } from 'typeorm';

/** A FIFO async mutex: `run` executes one task at a time, in arrival order. */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

/**
 * PGlite is one database session: typeorm-pglite sends every query runner through it, so two
 * transactions would share one session (one's COMMIT commits the other's work) and a plain query
 * from another request would run inside someone else's open transaction.
 *
 * This makes the data source serial on PGlite: a query outside a transaction takes the queue for
 * that one statement; a transaction takes it from START TRANSACTION until COMMIT/ROLLBACK, and only
 * its own runner's queries pass meanwhile. Code inside a transaction must therefore use that
 * transaction's manager, never the data source (it would wait for itself).
 */
export function serialiseQueryRunners(dataSource: DataSource): void {
  const queue = new SerialQueue();
  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (mode) => wrap(createQueryRunner(mode), queue);
}

/** TypeORM keeps the nesting depth (savepoints) on the runner without exposing it in the interface. */
const depth = (runner: QueryRunner) => (runner as unknown as { transactionDepth: number }).transactionDepth;

function wrap(runner: QueryRunner, queue: SerialQueue): QueryRunner {
  let held: (() => void) | undefined;
  const letGo = () => {
    const release = held;
    held = undefined;
    release?.();
  };
  const query = runner.query.bind(runner);
  const start = runner.startTransaction.bind(runner);
  const commit = runner.commitTransaction.bind(runner);
  const rollback = runner.rollbackTransaction.bind(runner);
  const release = runner.release.bind(runner);

  runner.query = (async (...args: Parameters<QueryRunner['query']>) => {
    if (held) return query(...args);
    const unlock = await queue.acquire();
    try {
      return await query(...args);
    } finally {
      unlock();
    }
  }) as QueryRunner['query'];

  runner.startTransaction = async (isolation) => {
    if (!held) held = await queue.acquire();
    try {
      await start(isolation);
    } catch (error) {
      if (depth(runner) === 0) letGo();
      throw error;
    }
  };
  runner.commitTransaction = async () => {
    try {
      await commit();
    } finally {
      if (depth(runner) === 0) letGo();
    }
  };
  runner.rollbackTransaction = async () => {
    try {
      await rollback();
    } finally {
      if (depth(runner) === 0) letGo();
    }
  };
  runner.release = async () => {
    try {
      return await release();
    } finally {
      letGo();
    }
  };
  return runner;
}
