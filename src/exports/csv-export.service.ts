import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { ANONYMOUS } from '../auth/principal';
import { CatalogueRepository } from '../catalogue/catalogue.repository';
import type { EntryKind } from '../catalogue/entry.entity';
import { redactRestricted, toWritable } from '../catalogue/entry.mapper';
import { EntryReferences } from '../catalogue/entry-references';
import { KINDS } from '../kinds';
import { NATIVE_COLUMNS, NativeColumn } from './native-columns';

/** Published entries of one kind as CSV, in the native import mapping's columns (code first). */
@Injectable()
export class CsvExportService {
  constructor(
    private readonly entries: CatalogueRepository,
    private readonly references: EntryReferences,
  ) {}

  async export(kind: EntryKind): Promise<string> {
    const columns = NATIVE_COLUMNS[kind];
    const published = await this.entries.listPublished(kind, ANONYMOUS);
    // What an anonymous caller sees: no restricted fields, no named people, no internal links, no entry they may not see.
    const docs = await this.references.hide(KINDS[kind], published.map((row) => redactRestricted(KINDS[kind].restrictedFields, toWritable(row))), ANONYMOUS);
    const rows = published.map((row, n) => [row.code, ...columns.map((c) => cell(c, docs[n][c.field]))]);
    return stringify([['code', ...columns.map((c) => c.column)], ...rows]);
  }
}

function cell(c: NativeColumn, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (c.type === 'list') return (value as string[]).join(';');
  if (c.type === 'boolean') return value ? 'true' : 'false';
  if (c.type === 'json') {
    const empty = (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0);
    return empty ? '' : JSON.stringify(value);
  }
  return String(value);
}
