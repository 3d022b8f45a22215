/**
 * Runs a background task again `everyMs` after each run ends (never two at once), until stopped.
 * The timer does not keep the process alive; a run's failure is reported to `onError` and the
 * next run comes as usual.
 */
export class Poller {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    private readonly task: () => Promise<unknown>,
    private readonly onError: (err: Error) => void,
  ) {}

  start(everyMs: () => number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.task()
        .catch((err: Error) => this.onError(err))
        .finally(() => this.start(everyMs));
    }, everyMs());
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
