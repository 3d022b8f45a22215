/** Collects positional parameters while a SQL string is assembled: `params.add(v)` returns `$n`. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** A JSON value as a jsonb parameter. */
  json(value: unknown): string {
    return `${this.add(JSON.stringify(value ?? null))}::jsonb`;
  }

  /** A text array parameter (both drivers accept JS arrays for text[]). */
  textArray(values: string[]): string {
    return `${this.add(values)}::text[]`;
  }
}
