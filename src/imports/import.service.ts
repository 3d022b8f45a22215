import { setImmediate as nextTurn } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parse } from 'csv-parse/sync';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogueRepository, EntryRow, EntryValues } from '../catalogue/catalogue.repository';
import { toValues, toWritable } from '../catalogue/entry.mapper';
import type { KindDefinition } from '../catalogue/kind-definition';
import { CatalogueService } from '../catalogue/catalogue.service';
import { DomainError, FieldError } from '../common/domain-error';
import { decodeUtf8File } from '../common/text';
import { validatePlain } from '../common/validation';
import { lostToConcurrency, retryWhenLostToConcurrency, uniqueViolation } from '../database/sql';
import { KINDS } from '../kinds';
import { CreateOrganisationDto } from '../organisations/dto/organisation.dto';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { OrganisationsService, storesTheSame } from '../organisations/organisations.service';
import { FieldSpec, ImportMapping, TableMapping } from './mapping';
import { TRANSFORMS, TransformResult } from './transforms';

export interface ImportFile {
  filename: string;
  content: Buffer;
}

export interface ImportOptions {
  mapping: ImportMapping;
  dryRun?: boolean;
  /** Created entries are published (a coordinator's import counts as approval). */
  publish?: boolean;
  actor: string;
  onProgress?: (table: string, done: number, total: number) => void;
}

/** One failed row or one warning. `row` counts the header as row 1. */
export interface ImportIssue {
  file: string;
  row: number;
  status: 'failed' | 'warning';
  column?: string;
  field?: string;
  message: string;
}

export interface TableReport {
  file: string;
  table: string;
  target: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  warnings: number;
}

export interface ImportReport {
  mapping: string;
  dryRun: boolean;
  tables: TableReport[];
  totals: Omit<TableReport, 'file' | 'table' | 'target'>;
  issues: ImportIssue[];
}

class DryRunRollback extends Error {}

/**
 * Runs an import (CSV or X-Road): `write` fills a fresh report in one transaction, rolled back for a
 * dry run (so its report is exactly what a real run would do). An import that lost to a concurrent
 * one (a deadlock, a match key just committed by the other) is rolled back and run again whole, with
 * a fresh report. The totals are summed from the tables at the end.
 */
export async function runImport(
  dataSource: DataSource,
  mapping: string,
  dryRun: boolean,
  write: (tx: EntityManager, report: ImportReport) => Promise<void>,
): Promise<ImportReport> {
  const report = await retryWhenLostToConcurrency(async () => {
    const attempt: ImportReport = { mapping, dryRun, tables: [], totals: { rows: 0, created: 0, updated: 0, unchanged: 0, failed: 0, warnings: 0 }, issues: [] };
    try {
      await dataSource.transaction(async (tx) => {
        await write(tx, attempt);
        if (dryRun) throw new DryRunRollback('dry run');
      });
    } catch (err) {
      if (!(err instanceof DryRunRollback)) throw err;
    }
    return attempt;
  });
  for (const t of report.tables) {
    for (const k of ['rows', 'created', 'updated', 'unchanged', 'failed', 'warnings'] as const) report.totals[k] += t[k];
  }
  return report;
}

/** At most this many issues are listed in a report (counts stay exact). */
const MAX_ISSUES = 5000;

/** Rows read, looked up and written together. */
const CHUNK_ROWS = 500;

/**
 * Rows validated between two turns of the event loop while the previous chunk is being written: each
 * turn lets the write's next statement go out as soon as the database has answered the one before,
 * so the database and the validation work at the same time (without the turns, the database sat idle
 * until a whole chunk was validated).
 */
const ROWS_PER_TURN = 25;

type RowOutcome = 'created' | 'updated' | 'unchanged';

/** A row that passed the checks that need no database: its document, match key and warnings so far. */
interface PreparedRow {
  row: number;
  doc: Record<string, unknown>;
  key: string;
  warnings: Omit<ImportIssue, 'file' | 'row'>[];
}

/** Where a table's rows report to. */
interface RowSink {
  issue(i: Omit<ImportIssue, 'file'>): void;
  done(outcome: RowOutcome, r: PreparedRow): void;
}

/**
 * Imports CSV files through a mapping. Every file of a request is imported in one transaction (a dry
 * run rolls it back, so it reports exactly what a real run would do); each row is isolated in a
 * savepoint, so a bad row fails alone. Rows are matched on the mapping's `match` fields, so a second
 * import of the same file creates and updates nothing.
 */
@Injectable()
export class ImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly entries: CatalogueRepository,
    private readonly organisationsService: OrganisationsService,
    private readonly organisations: OrganisationsRepository,
  ) {}

  async run(files: ImportFile[], options: ImportOptions): Promise<ImportReport> {
    if (!files.length) throw DomainError.badRequest('IMPORT_NO_FILE', 'Give at least one CSV file');
    const parsed = files
      .map((f) => ({ file: f, ...this.parseCsv(f, options.mapping) }))
      .sort((a, b) => options.mapping.tables.indexOf(a.table) - options.mapping.tables.indexOf(b.table));
    return runImport(this.dataSource, options.mapping.name, !!options.dryRun, async (tx, report) => {
      for (const p of parsed) report.tables.push(await this.importTable(tx, p.file.filename, p.table, p.header, p.records, options, report));
    });
  }

  /** Parses a CSV file and finds which table of the mapping it is (by its header). */
  parseCsv(file: ImportFile, mapping: ImportMapping): { table: TableMapping; header: string[]; records: string[][] } {
    // Decoded once, strictly, then parsed as text.
    const text = decodeUtf8File(file, 'CSV_NOT_UTF8');
    let rows: string[][];
    try {
      rows = parse(text, { bom: true, delimiter: mapping.delimiter ?? ',', relax_column_count: true, skip_empty_lines: true });
    } catch (err) {
      const e = err as Error & { lines?: number };
      throw DomainError.badRequest('CSV_MALFORMED', `${file.filename} is not valid CSV${e.lines ? ` (line ${e.lines})` : ''}: ${e.message}`);
    }
    if (!rows.length) throw DomainError.badRequest('CSV_EMPTY', `${file.filename} is empty`);
    const header = rows[0].map((h) => h.trim());
    // A column named twice is ambiguous: which of its cells a field reads would be chance (the last
    // one won). Unnamed columns (a trailing comma) are read by no mapping and may repeat.
    const twice = header.findIndex((h, i) => h !== '' && header.indexOf(h) !== i);
    if (twice >= 0) {
      throw DomainError.badRequest(
        'CSV_HEADER_DUPLICATE',
        `${file.filename} names the column ${JSON.stringify(header[twice])} twice (columns ${header.indexOf(header[twice]) + 1} and ${twice + 1}); give each column its own name`,
      );
    }
    const table = mapping.tables.find((t) => t.detect.every((c) => header.includes(c)));
    if (!table) {
      throw DomainError.badRequest(
        'CSV_UNRECOGNISED',
        `${file.filename} matches no table of the mapping ${mapping.name}: its header (${header.slice(0, 20).join(', ')}) lacks ${mapping.tables
          .map((t) => `[${t.detect.filter((c) => !header.includes(c)).join(', ')}] for ${t.name}`)
          .join(' or ')}`,
      );
    }
    return { table, header, records: rows.slice(1) };
  }

  private async importTable(
    tx: EntityManager,
    filename: string,
    table: TableMapping,
    header: string[],
    records: string[][],
    options: ImportOptions,
    report: ImportReport,
  ): Promise<TableReport> {
    const result: TableReport = { file: filename, table: table.name, target: table.target, rows: records.length, created: 0, updated: 0, unchanged: 0, failed: 0, warnings: 0 };
    const issues: ImportIssue[] = [];
    // `failed` counts rows (a row may fail for several reasons, each listed), `warnings` counts issues.
    const failedRows = new Set<number>();
    const sink: RowSink = {
      issue: (i) => {
        if (i.status === 'warning') result.warnings++;
        else if (!failedRows.has(i.row)) {
          failedRows.add(i.row);
          result.failed++;
        }
        issues.push({ file: filename, ...i });
      },
      done: (outcome, r) => {
        result[outcome]++;
        r.warnings.forEach((w) => sink.issue({ row: r.row, ...w }));
      },
    };
    const seen = new Map<string, number>();
    let writing: Promise<void> | undefined;
    for (let start = 0; start < records.length; start += CHUNK_ROWS) {
      options.onProgress?.(table.name, start, records.length);
      const rows: PreparedRow[] = [];
      for (let index = start; index < Math.min(start + CHUNK_ROWS, records.length); index++) {
        const row = index + 2;
        const record = records[index];
        if (record.length !== header.length) {
          sink.issue({ row, status: 'failed', message: `expected ${header.length} columns, found ${record.length}` });
          continue;
        }
        // No prototype: a mapping naming a column `constructor` or `toString` that the file lacks finds nothing (it found a function: a 500).
        const cells: Record<string, string> = Object.assign(Object.create(null), Object.fromEntries(header.map((h, i) => [h, record[i]])));
        const built = buildDocument(table, cells);
        // A failed row's warnings are listed (and counted) too: fixing the failure should not uncover them.
        if (built.issues.some((i) => i.status === 'failed')) {
          built.issues.forEach((i) => sink.issue({ row, ...i }));
          continue;
        }
        const key = `${options.mapping.name}:${table.name}:${JSON.stringify(table.match.map((m) => String(getPath(built.doc, m) ?? '').trim().toLowerCase()))}`;
        if (seen.has(key)) {
          sink.issue({ row, status: 'failed', message: `same ${table.match.join(' + ')} as row ${seen.get(key)}: skipped` });
          built.issues.forEach((i) => sink.issue({ row, ...i }));
          continue;
        }
        seen.set(key, row);
        rows.push({ row, doc: built.doc, key, warnings: [...built.issues] });
      }
      if (table.target === 'organisation') {
        // In key order, so that imports sharing organisations take their locks in the same order
        // (in file order, two imports of shuffled files deadlock); the report is in row order anyway.
        const byKey = [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        for (const r of byKey) await this.isolated(tx, table, r, sink, () => this.upsertOrganisation(tx, r.doc, r.key, options));
      } else {
        // Pipelined: this chunk is validated (CPU) while the database still writes the previous one;
        // writes stay one at a time and in file order, in the one transaction.
        const def = KINDS[table.target];
        const valid = await this.validateEntries(def, table, rows, options, sink);
        await writing;
        writing = this.writeEntries(tx, table, def, valid, options, sink);
      }
    }
    await writing;
    options.onProgress?.(table.name, records.length, records.length);
    // Rows written together report together: the report lists issues in row order all the same.
    issues.sort((a, b) => a.row - b.row);
    for (const i of issues) if (report.issues.length < MAX_ISSUES) report.issues.push(i);
    return result;
  }

  /**
   * The entries of a chunk's rows, validated (no database needed); a row that fails validation fails
   * here. Gives the event loop a turn every ROWS_PER_TURN rows, for the write of the previous chunk.
   */
  private async validateEntries(def: KindDefinition, table: TableMapping, rows: PreparedRow[], options: ImportOptions, sink: RowSink): Promise<ValidEntry[]> {
    const valid: ValidEntry[] = [];
    for (const [i, r] of rows.entries()) {
      if (i % ROWS_PER_TURN === ROWS_PER_TURN - 1) await nextTurn();
      try {
        valid.push({ r, ...this.entryValues(def, r, options) });
      } catch (err) {
        this.failRow(table, r, sink, err);
      }
    }
    return valid;
  }

  /**
   * Entries of one chunk: owners and existing entries are looked up once for the chunk, new entries
   * are written together through the shared write path (one statement each for entries and
   * revisions), existing ones one by one. If writing the new ones together fails, each is written
   * alone, so a bad row fails alone as ever.
   */
  private async writeEntries(tx: EntityManager, table: TableMapping, def: KindDefinition, rows: ValidEntry[], options: ImportOptions, sink: RowSink): Promise<void> {
    const owners = await this.organisations.findIdsByCodes(tx, rows.map((v) => v.ownerCode).filter((o): o is string => o !== undefined));
    const existing = await this.entries.findBySourceKeys(tx, def.kind, rows.map((v) => v.r.key));
    const creates: ValidEntry[] = [];
    for (const v of rows) {
      resolveOwner(v, owners);
      const found = existing.get(v.r.key);
      if (found) await this.isolated(tx, table, v.r, sink, () => this.updateEntry(tx, found, this.updatedValues(def, table, v, found, options), options));
      else creates.push(v);
    }
    if (!creates.length) return;
    const lifecycle = options.publish ? 'published' : 'draft';
    const runner = tx.queryRunner!;
    await runner.startTransaction(); // a savepoint
    try {
      await this.catalogue.insertEntries(tx, def, creates.map((c) => ({ values: c.values, lifecycle, sourceKey: c.r.key })), options.actor);
      await runner.commitTransaction();
      creates.forEach((c) => sink.done('created', c.r));
    } catch (err) {
      await runner.rollbackTransaction();
      // Stopped for a concurrent import: give its locks back at once (the whole import is retried).
      if (lostToConcurrency(err)) throw err;
      for (const c of creates) {
        const raced = await this.isolated(
          tx, table, c.r, sink,
          async () => {
            await this.catalogue.insertEntry(tx, def, c.values, lifecycle, c.r.key, options.actor);
            return 'created';
          },
          true,
        );
        if (!raced) continue;
        // A concurrent import created the same entry first and has committed: this row updates it.
        await this.isolated(tx, table, c.r, sink, async () => {
          const found = await this.entries.findBySourceKey(tx, def.kind, c.r.key);
          if (!found) throw DomainError.conflict('CONCURRENT_WRITE', 'another import created and removed this entry at the same time; import the file again');
          return this.updateEntry(tx, found, c.values, options);
        });
      }
    }
  }

  /**
   * Runs one row's write in a savepoint: the row fails alone. A write that loses a race to a
   * concurrent request (a unique violation) fails its row with a conflict, unless the caller takes
   * races on the entry's match key itself (`raceable`): then nothing is reported and true is returned.
   */
  private async isolated(tx: EntityManager, table: TableMapping, r: PreparedRow, sink: RowSink, write: () => Promise<RowOutcome>, raceable = false): Promise<boolean> {
    const runner = tx.queryRunner!;
    await runner.startTransaction(); // a savepoint
    let outcome: RowOutcome;
    try {
      outcome = await write();
      await runner.commitTransaction();
    } catch (err) {
      await runner.rollbackTransaction();
      const constraint = uniqueViolation(err);
      if (raceable && constraint === 'uq_entries_source_key') return true;
      this.failRow(table, r, sink, constraint === undefined ? err : DomainError.conflict('CONCURRENT_WRITE', `another request wrote the same thing at the same time (${constraint}); import the file again`));
      return false;
    }
    sink.done(outcome, r);
    return false;
  }

  private failRow(table: TableMapping, r: PreparedRow, sink: RowSink, err: unknown): void {
    if (!(err instanceof DomainError)) throw err;
    const errors: FieldError[] = err.errors?.length ? err.errors : [{ field: '', message: err.message }];
    for (const e of errors) sink.issue({ row: r.row, status: 'failed', field: e.field || undefined, column: columnOf(table, e.field), message: e.message });
    r.warnings.forEach((w) => sink.issue({ row: r.row, ...w }));
  }

  private async upsertOrganisation(tx: EntityManager, doc: Record<string, unknown>, key: string, options: ImportOptions): Promise<RowOutcome> {
    const dto = validatePlain(CreateOrganisationDto, doc);
    let existing = dto.code ? await this.organisations.findByCode(dto.code, tx) : undefined;
    const source = { format: `csv:${options.mapping.name}`, externalId: key };
    if (!existing) {
      if (await this.organisations.insert(tx, await this.organisationsService.toValues(tx, dto, source))) return 'created';
      // A concurrent import created it first and has committed: this row matches it.
      existing = dto.code ? await this.organisations.findByCode(dto.code, tx) : undefined;
      if (!existing) throw DomainError.conflict('ORGANISATION_CODE_TAKEN', `code ${dto.code} is taken`);
    }
    const values = await this.organisationsService.toValues(tx, dto, existing.source ?? source, existing.id);
    if (storesTheSame(existing, values)) return 'unchanged';
    await this.organisations.update(tx, existing.id, existing.version, values);
    return 'updated';
  }

  /** The stored values of a row's entry, without its owner: the owner code is resolved for the whole chunk (resolveOwner). */
  private entryValues(def: KindDefinition, r: PreparedRow, options: ImportOptions): Omit<ValidEntry, 'r'> {
    const doc = { ...r.doc };
    const ownerCode = typeof doc.owner === 'string' ? doc.owner : undefined;
    delete doc.owner;
    doc.source = { format: `csv:${options.mapping.name}`, externalId: r.key, ...(doc.source as object) };
    const dto = validatePlain(def.createDto, doc) as unknown as Record<string, unknown>;
    return { values: toValues(dto, null, def.defaultOperationalStatus), ownerCode };
  }

  /**
   * The values a row writes over an entry it matched: the fields its table maps, from the row (an empty
   * cell clears a mapped field), and every other field as the entry has it. People add what a file does
   * not hold (themes, links, the legal basis…); a re-import cleared it all (found by a new-user check).
   */
  private updatedValues(def: KindDefinition, table: TableMapping, v: ValidEntry, existing: EntryRow, options: ImportOptions): EntryValues {
    const mapped = new Set([...Object.keys(table.fields).map((f) => f.split('.')[0]), ...Object.keys(v.r.doc), 'owner', 'source']);
    const kept = Object.fromEntries(Object.entries(toWritable(existing)).filter(([k]) => !mapped.has(k)));
    const values = Object.keys(kept).length ? this.entryValues(def, { ...v.r, doc: { ...structuredClone(kept), ...v.r.doc } }, options).values : v.values;
    // The owner was looked up for the whole chunk (resolveOwner); a table that maps none keeps the entry's.
    values.ownerId = 'owner' in table.fields ? v.values.ownerId : existing.owner_id;
    return values;
  }

  private async updateEntry(tx: EntityManager, existing: EntryRow, values: EntryValues, options: ImportOptions): Promise<RowOutcome> {
    keepItemIds(existing, values);
    let changed = await this.catalogue.updateEntry(tx, existing, values, options.actor, 'import');
    const publishable = existing.lifecycle_status === 'draft' || existing.lifecycle_status === 'in_review';
    if (options.publish && publishable && (await this.catalogue.publishByImport(tx, existing.id, options.actor))) changed = true;
    return changed ? 'updated' : 'unchanged';
  }
}

/** A row's entry, validated; `ownerCode` is the owner the row names, if any. */
interface ValidEntry {
  r: PreparedRow;
  values: EntryValues;
  ownerCode?: string;
}

/** Sets the entry's owner from the chunk's lookup; a row naming an unknown owner is imported unclaimed, with a warning. */
function resolveOwner(v: ValidEntry, owners: Map<string, string>): void {
  if (v.ownerCode === undefined) return;
  const id = owners.get(v.ownerCode.toLowerCase());
  if (id) v.values.ownerId = id;
  else if (!v.r.warnings.some((w) => w.field === 'owner')) {
    v.r.warnings.push({ status: 'warning', field: 'owner', message: `no organisation has the code ${JSON.stringify(v.ownerCode)}: imported without an owner (unclaimed)` });
  }
}

/** Imported items carry no ids: reuse the stored item ids by position, so an unchanged row stays unchanged. */
function keepItemIds(existing: EntryRow, values: EntryValues): void {
  const stored: Record<string, unknown> = { contacts: existing.contacts, links: existing.links, legalBasis: existing.legal_basis, ...existing.details };
  const incoming: Record<string, unknown> = { contacts: values.contacts, links: values.links, legalBasis: values.legalBasis, ...values.details };
  for (const [field, items] of Object.entries(incoming)) {
    const old = stored[field];
    if (!Array.isArray(items) || !Array.isArray(old)) continue;
    items.forEach((item, i) => {
      const before = old[i] as { id?: string } | undefined;
      if (item && typeof item === 'object' && before?.id) (item as { id?: string }).id = before.id;
    });
  }
}

/** Builds the document of one row from its cells; warnings keep the raw text in `notes`. */
export function buildDocument(table: TableMapping, cells: Record<string, string>): { doc: Record<string, unknown>; issues: Omit<ImportIssue, 'file' | 'row'>[] } {
  const doc: Record<string, unknown> = {};
  const issues: Omit<ImportIssue, 'file' | 'row'>[] = [];
  const notes: string[] = [];
  const lists = new Set<unknown[]>();
  for (const [field, raw] of Object.entries(table.fields)) {
    const spec: Exclude<FieldSpec, string> = typeof raw === 'string' ? { column: raw } : raw;
    const columns = spec.columns ?? (spec.column ? [spec.column] : []);
    let value: unknown;
    if (spec.value !== undefined) {
      value = structuredClone(spec.value);
    } else if (spec.template !== undefined) {
      let filled = false;
      value = spec.template.replace(/\{([^}]+)\}/g, (_, c: string) => {
        const v = (cells[c] ?? '').trim();
        if (v) filled = true;
        return v;
      });
      if (!filled) value = undefined;
    } else {
      const texts = columns.map((c) => (cells[c] ?? '').trim());
      if (texts.some(Boolean) || spec.transform === 'statusFromDates') {
        const out: TransformResult = TRANSFORMS[spec.transform ?? 'text'](texts, spec.options ?? {});
        if (out.warning) {
          const keepInNotes = !out.keep && table.target !== 'organisation';
          issues.push({ status: 'warning', column: columns.join(', '), field, message: keepInNotes ? `${out.warning}; kept in notes` : out.warning });
          if (keepInNotes) notes.push(`${columns.join(', ')}: ${clip(texts.filter(Boolean).join(', '), NOTE_CELL_CHARS)}`);
        }
        value = out.value;
      }
    }
    if (value === undefined || value === '' || value === null) {
      if (spec.required) issues.push({ status: 'failed', column: columns.join(', ') || undefined, field, message: `${columns.join(', ') || field} is empty` });
      continue;
    }
    const blocked = setPath(doc, field, value, lists);
    if (blocked) issues.push({ status: 'failed', column: columns.join(', ') || undefined, field, message: `${field} cannot be set: ${blocked} holds a value that is not an object or list` });
  }
  // Empty cells set nothing, so `interfaces.1.baseUrl` may fill a list whose item 0 is empty: the
  // items the row has close up, in order (what mapping two optional columns means), and no list holds a hole.
  for (const list of lists) list.splice(0, list.length, ...list.filter(() => true));
  if (notes.length) doc.notes = [doc.notes, ...notes].filter(Boolean).join('\n');
  return { doc, issues };
}

/** At most this much of a cell no transform could read is kept in notes (a whole cell may be megabytes). */
const NOTE_CELL_CHARS = 1000;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

function columnOf(table: TableMapping, field: string | undefined): string | undefined {
  if (!field) return undefined;
  for (const [path, spec] of Object.entries(table.fields)) {
    if (field === path || field.startsWith(`${path}.`) || path.startsWith(`${field}.`)) {
      return typeof spec === 'string' ? spec : (spec.column ?? spec.columns?.join(', '));
    }
  }
  return undefined;
}

function getPath(doc: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), doc);
}

/**
 * Sets a dotted path in a row's document, creating objects and lists on the way (the lists it sets
 * items in are added to `lists`). Returns the part of the path that already holds a value that is not an
 * object or list (a JSON cell's text, where another field of the mapping goes below it), in which case
 * nothing is set: the row fails, it never throws.
 */
function setPath(doc: Record<string, unknown>, path: string, value: unknown, lists: Set<unknown[]>): string | undefined {
  const keys = path.split('.');
  let o: Record<string | number, unknown> = doc;
  for (const [i, k] of keys.entries()) {
    const slot = /^\d+$/.test(k) ? Number(k) : k;
    if (i === keys.length - 1) {
      o[slot] = value;
      return undefined;
    }
    // Own values only: an inherited one (`constructor`) is not part of the document.
    const next = Object.hasOwn(o, slot) ? o[slot] : undefined;
    if (next === undefined) o[slot] = /^\d+$/.test(keys[i + 1]) ? [] : {};
    else if (next === null || typeof next !== 'object') return keys.slice(0, i + 1).join('.');
    o = o[slot] as Record<string | number, unknown>;
    // A list it created, or one a JSON cell gave that it now sets an item of.
    if (Array.isArray(o)) lists.add(o);
  }
  return undefined;
}
