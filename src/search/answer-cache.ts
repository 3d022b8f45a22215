/**
 * Recent answers, each kept with the database snapshot it was computed under and served again only
 * while the database's current snapshot is that same one. Two equal snapshots see exactly the same
 * committed transactions, so such an answer is what the query would return now: it is never stale,
 * on any replica, since each replica asks the database for its snapshot before serving one. Every
 * transaction that writes (anywhere in the database) and commits changes the snapshot, so after a
 * write each answer is computed afresh once. Least recently used answers go first once the answers
 * together exceed `maxBytes` of memory (see `set`); 0 turns the cache off.
 */
/** Memory of one kept answer besides its value and strings: the Map entry and the wrapper object, rounded up. */
export const ENTRY_OVERHEAD = 256;

/** Memory a value parsed from this much JSON holds, rounded up (measured: 1.3× for a search page of 20 KB, 1.8× for a suggestion list of 2 KB). */
export function heapBytesOfJson(jsonLength: number): number {
  return 2 * jsonLength;
}

export class AnswerCache<T> {
  private readonly answers = new Map<string, { snapshot: string; value: T; bytes: number }>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** The snapshot a kept answer was computed under, if one is kept for this key. */
  snapshotOf(key: string): string | undefined {
    return this.answers.get(key)?.snapshot;
  }

  /** The answer for `key` if it was computed under `snapshot` (and marks it recently used). */
  get(key: string, snapshot: string): T | undefined {
    const kept = this.answers.get(key);
    if (!kept || kept.snapshot !== snapshot) return undefined;
    this.answers.delete(key);
    this.answers.set(key, kept);
    return kept.value;
  }

  /**
   * Keeps an answer. `valueBytes` is the memory the value holds; the key and snapshot strings (two
   * bytes a character, as V8 may store them) and the entry's own objects are counted on top, so many
   * small answers (say, empty suggestions for long distinct texts) cannot hold more memory than allowed.
   */
  set(key: string, snapshot: string, value: T, valueBytes: number): void {
    const bytes = valueBytes + 2 * (key.length + snapshot.length) + ENTRY_OVERHEAD;
    this.drop(key);
    if (!this.enabled || bytes > this.maxBytes / 4) return;
    this.answers.set(key, { snapshot, value, bytes });
    this.bytes += bytes;
    for (const oldest of this.answers.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
  }

  /** Forgets every answer (for a change the snapshot does not show, such as a ranking setting). */
  clear(): void {
    this.answers.clear();
    this.bytes = 0;
  }

  get size(): { answers: number; bytes: number } {
    return { answers: this.answers.size, bytes: this.bytes };
  }

  private drop(key: string): void {
    const kept = this.answers.get(key);
    if (!kept) return;
    this.answers.delete(key);
    this.bytes -= kept.bytes;
  }
}
