import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogueRepository, EntryRow } from '../catalogue/catalogue.repository';
import { CatalogueService } from '../catalogue/catalogue.service';
import { toWritable } from '../catalogue/entry.mapper';
import { DomainError, FieldError } from '../common/domain-error';
import { jsonEqual } from '../common/text';
import { jsonInputErrors, validatePlain } from '../common/validation';
import { runImport, type ImportFile, type ImportIssue, type ImportReport, type TableReport } from '../imports/import.service';
import { CreateOrganisationDto } from '../organisations/dto/organisation.dto';
import { OrganisationRow, OrganisationsRepository, OrganisationValues } from '../organisations/organisations.repository';
import { SYSTEM_KIND } from '../systems/system.kind';
import { OpenApiDocument, parseXRoadDocument, XRoadDocument, XRoadMember, XRoadService, XRoadSubsystem } from './xroad-parser';

export interface XRoadImportOptions {
  dryRun?: boolean;
  /** Created systems are published (a coordinator's import counts as approval). */
  publish?: boolean;
  actor: string;
}

/** Source formats recorded on what an import wrote; disappearance is judged per format and instance. */
const FORMAT = { 'global-conf': 'xroad:global-conf', 'list-clients': 'xroad:list-clients', 'list-methods': 'xroad:list-methods' } as const;

/** The matching key of a subsystem's system: parts as a JSON array, because codes may contain '/'. */
export function subsystemKey(s: Pick<XRoadSubsystem, 'instance' | 'memberClass' | 'memberCode' | 'subsystemCode'>): string {
  return `xroad:${JSON.stringify([s.instance, s.memberClass, s.memberCode, s.subsystemCode])}`;
}
const memberKey = (m: Pick<XRoadMember, 'instance' | 'memberClass' | 'memberCode'>) => JSON.stringify([m.instance, m.memberClass, m.memberCode]);
const serviceKey = (s: { serviceCode: string; serviceVersion?: string }) => JSON.stringify([s.serviceCode, s.serviceVersion ?? null]);

type Outcome = 'created' | 'updated' | 'unchanged';

/** First key of the advisory locks X-Road imports take per instance (an arbitrary constant, unique in this database). */
const XROAD_IMPORT_LOCK_KEY = 4_204_202;

/** A field error of an item that stands for several rows may name its own (the services of a subsystem). */
type ItemError = FieldError & { row?: number };

/** A deep copy of the entry as written: edits to it must not reach the row it is diffed against. */
const writable = (row: EntryRow) => structuredClone(toWritable(row));

/**
 * Imports X-Road metadata: global configuration shared parameters and listClients (members become
 * organisations, subsystems become systems), listMethods (services become interfaces of their
 * subsystem's system) and getOpenAPI documents (endpoints and base URL of a REST service).
 * Idempotent: organisations match on their X-Road member id, systems on their subsystem id. What no
 * longer appears in a source (per source format and instance) is marked `missingSince` and reported,
 * never deleted. One transaction per request; each item in a savepoint, so a bad item fails alone.
 */
@Injectable()
export class XRoadImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalogue: CatalogueService,
    readonly entries: CatalogueRepository,
    readonly organisations: OrganisationsRepository,
  ) {}

  async run(files: ImportFile[], options: XRoadImportOptions): Promise<ImportReport> {
    if (!files.length) throw DomainError.badRequest('IMPORT_NO_FILE', 'Give at least one X-Road metadata file');
    const docs = files.map((f) => ({ file: f.filename, doc: parseXRoadDocument(f.filename, f.content) }));
    // Members before subsystems before services before OpenAPI documents.
    const rank: Record<XRoadDocument['type'], number> = { 'global-conf': 0, 'list-clients': 1, 'list-methods': 2, openapi: 3 };
    docs.sort((a, b) => rank[a.doc.type] - rank[b.doc.type]);
    const today = new Date().toISOString().slice(0, 10);
    // The instances the files describe, each locked for this import's transaction (in name order, so
    // two imports never wait on each other in a circle): imports of one instance take turns. Without
    // it, eight imports of the same members in different orders deadlocked and raced on member ids
    // over and over, and some gave up with 409 after five attempts.
    const instances = [...new Set(docs.flatMap(({ doc }) => ('instance' in doc ? [doc.instance] : doc.type === 'list-methods' ? doc.services.map((s) => s.instance) : [])))].sort();
    return runImport(this.dataSource, 'xroad', !!options.dryRun, async (tx, report) => {
      for (const instance of instances) await tx.query(`SELECT pg_advisory_xact_lock(${XROAD_IMPORT_LOCK_KEY}, hashtext($1))`, [instance]);
      const run = new ImportRun(tx, report, options, today, this);
      for (const { file, doc } of docs) await run.document(file, doc);
    });
  }

  // ---- the writes of one item (called by ImportRun inside its savepoints) ----

  async upsertMember(tx: EntityManager, m: XRoadMember, format: string): Promise<{ outcome: Outcome; org: OrganisationRow }> {
    // Cut to what the organisations API allows, as system names are: the rest of the member stays importable.
    const name = (m.name.trim() || `${m.memberClass} ${m.memberCode}`).slice(0, 300);
    // Validated as the organisations API would, before any query: a NUL or a lone surrogate (which
    // the database cannot hold, and which aborts the statement) fails this member alone, as bad input.
    validatePlain(CreateOrganisationDto, { name, xroadMember: { instance: m.instance, memberClass: m.memberClass, memberCode: m.memberCode } });
    const existing = await this.organisations.findByXRoadMember(tx, m.instance, m.memberClass, m.memberCode);
    const source = { format, instance: m.instance, externalId: memberKey(m) };
    if (!existing) {
      const values: OrganisationValues = {
        name,
        acronym: null,
        type: 'other',
        parentId: null,
        website: null,
        email: null,
        xroadInstance: m.instance,
        xroadMemberClass: m.memberClass,
        xroadMemberCode: m.memberCode,
        source,
      };
      const created = await this.organisations.insert(tx, values);
      if (!created) throw DomainError.conflict('ORGANISATION_CODE_TAKEN', 'could not allocate an organisation code');
      return { outcome: 'created', org: (await this.organisations.findByCode(created.code, tx))! };
    }
    const values: OrganisationValues = {
      name: existing.source && String(existing.source.format ?? '').startsWith('xroad:') ? name : existing.name,
      acronym: existing.acronym,
      type: existing.type,
      parentId: existing.parent_id,
      website: existing.website,
      email: existing.email,
      xroadInstance: existing.xroad_instance,
      xroadMemberClass: existing.xroad_member_class,
      xroadMemberCode: existing.xroad_member_code,
      // An organisation someone created by hand keeps its source; one an import created follows the latest source.
      source: existing.source && !String(existing.source.format ?? '').startsWith('xroad:') ? existing.source : source,
    };
    if (values.name === existing.name && jsonEqual(values.source, existing.source)) return { outcome: 'unchanged', org: existing };
    await this.organisations.update(tx, existing.id, existing.version, values);
    return { outcome: 'updated', org: existing };
  }

  async upsertSubsystem(
    tx: EntityManager,
    s: XRoadSubsystem,
    format: string,
    options: XRoadImportOptions,
    memberName?: string,
  ): Promise<{ outcome: Outcome; row: EntryRow }> {
    const xroadSubsystem = { instance: s.instance, memberClass: s.memberClass, memberCode: s.memberCode, subsystemCode: s.subsystemCode };
    // The id parts are looked up before the system is validated: text the database cannot hold fails this item here.
    const unstorable = jsonInputErrors({ xroadSubsystem, name: s.name });
    if (unstorable.length) throw DomainError.validation(unstorable);
    const key = subsystemKey(s);
    const existing = await this.entries.findBySourceKey(tx, 'system', key);
    const owner = await this.organisations.findByXRoadMember(tx, s.instance, s.memberClass, s.memberCode);
    const source = { format, instance: s.instance, externalId: key.slice('xroad:'.length) };
    const name = (s.name?.trim() || `${s.subsystemCode}${memberName ? ` (${memberName})` : ''}`).slice(0, 300);
    if (!existing) {
      const doc = { name, owner: owner?.code, operationalStatus: 'in_production', xroadSubsystem, source };
      const values = await this.catalogue.toStoredValues(tx, SYSTEM_KIND, validatePlain(SYSTEM_KIND.createDto, doc) as unknown as Record<string, unknown>);
      const created = await this.catalogue.insertEntry(tx, SYSTEM_KIND, values, options.publish ? 'published' : 'draft', key, options.actor);
      return { outcome: 'created', row: (await this.entries.findForUpdate(tx, created.id))! };
    }
    // What people wrote (description, contacts, interfaces...) stays; the X-Road facts are refreshed.
    // Membership sources (global configuration, listClients) own `source`; listMethods only adds services.
    const keepSource = format === FORMAT['list-methods'] && existing.source && existing.source.format !== format;
    const doc: Record<string, unknown> = { ...writable(existing), xroadSubsystem, source: keepSource ? existing.source : source };
    if (s.name?.trim()) doc.name = name;
    if (!doc.owner && owner) doc.owner = owner.code;
    const changed = await this.write(tx, existing, doc, options.actor);
    return { outcome: changed ? 'updated' : 'unchanged', row: (await this.entries.findForUpdate(tx, existing.id))! };
  }

  /**
   * Merges the services of one subsystem (from listMethods) into its system's interfaces. Says for
   * each service whether its interface was created, updated or left unchanged, and which services
   * the system had that are no longer listed.
   */
  async mergeServices(tx: EntityManager, system: EntryRow, services: XRoadService[], today: string, actor: string): Promise<{ outcomes: Outcome[]; missing: string[] }> {
    const doc = writable(system);
    const interfaces = (Array.isArray(doc.interfaces) ? doc.interfaces : []) as Record<string, unknown>[];
    const listed = new Set(services.map(serviceKey));
    const missing: string[] = [];
    for (const iface of interfaces) {
      const x = iface.xroad as { serviceCode?: string; serviceVersion?: string } | undefined;
      if (!x?.serviceCode) continue;
      if (!listed.has(serviceKey({ serviceCode: x.serviceCode, serviceVersion: x.serviceVersion }))) {
        if (!iface.missingSince) iface.missingSince = today;
        missing.push(x.serviceCode);
      }
    }
    const outcomes: Outcome[] = [];
    for (const s of services) {
      const xroad = {
        instance: s.instance,
        memberClass: s.memberClass,
        memberCode: s.memberCode,
        subsystemCode: s.subsystemCode,
        serviceCode: s.serviceCode,
        ...(s.serviceVersion ? { serviceVersion: s.serviceVersion } : {}),
      };
      const found = interfaces.find((i) => {
        const x = i.xroad as { serviceCode?: string; serviceVersion?: string } | undefined;
        return x?.serviceCode === s.serviceCode && (x.serviceVersion ?? null) === (s.serviceVersion ?? null);
      });
      const type = s.serviceType?.toUpperCase() === 'WSDL' ? 'SOAP' : 'REST';
      if (found) {
        const before = structuredClone(found);
        found.xroad = xroad;
        found.type = found.type ?? type;
        // Keep endpoints an OpenAPI document described (with summaries) when they cover the listed ones.
        const known = new Set(((found.endpoints as { method: string; path: string }[] | undefined) ?? []).map((e) => `${e.method} ${e.path}`));
        if (!s.endpoints.every((e) => known.has(`${e.method} ${e.path}`))) found.endpoints = s.endpoints;
        delete found.missingSince;
        outcomes.push(jsonEqual(before, found) ? 'unchanged' : 'updated');
      } else {
        interfaces.push({ name: s.serviceCode.slice(0, 300), type, authentication: 'X-Road', xroad, endpoints: s.endpoints });
        outcomes.push('created');
      }
    }
    doc.interfaces = interfaces;
    await this.write(tx, system, doc, actor);
    return { outcomes, missing };
  }

  /** Applies a getOpenAPI document to the interface of one service. */
  async applyOpenApi(tx: EntityManager, system: EntryRow, service: XRoadService, api: OpenApiDocument, actor: string): Promise<boolean> {
    const doc = writable(system);
    const interfaces = (Array.isArray(doc.interfaces) ? doc.interfaces : []) as Record<string, unknown>[];
    const iface = interfaces.find((i) => {
      const x = i.xroad as { serviceCode?: string; serviceVersion?: string } | undefined;
      return x?.serviceCode === service.serviceCode && (x.serviceVersion ?? null) === (service.serviceVersion ?? null);
    });
    if (!iface) throw DomainError.badRequest('XROAD_SERVICE_UNKNOWN', `${system.code} has no interface for the service ${service.serviceCode}`);
    if (api.title) iface.name = api.title.slice(0, 300);
    if (api.description) iface.description = api.description.slice(0, 5000);
    if (api.baseUrl) iface.baseUrl = api.baseUrl;
    if (api.endpoints.length) iface.endpoints = api.endpoints;
    iface.type = 'REST';
    return this.write(tx, system, doc, actor);
  }

  /** Marks an entry as gone from its source (kept, with `source.missingSince`). */
  async markMissing(tx: EntityManager, row: EntryRow, today: string, actor: string): Promise<boolean> {
    if (row.source?.missingSince) return false;
    return this.write(tx, row, { ...writable(row), source: { ...row.source, missingSince: today } }, actor);
  }

  async markOrganisationMissing(tx: EntityManager, org: OrganisationRow, today: string): Promise<boolean> {
    if (!org.source || org.source.missingSince) return false;
    await this.organisations.update(tx, org.id, org.version, {
      name: org.name,
      acronym: org.acronym,
      type: org.type,
      parentId: org.parent_id,
      website: org.website,
      email: org.email,
      xroadInstance: org.xroad_instance,
      xroadMemberClass: org.xroad_member_class,
      xroadMemberCode: org.xroad_member_code,
      source: { ...org.source, missingSince: today },
    });
    return true;
  }

  private async write(tx: EntityManager, row: EntryRow, doc: Record<string, unknown>, actor: string): Promise<boolean> {
    const dto = validatePlain(SYSTEM_KIND.createDto, doc);
    const values = await this.catalogue.toStoredValues(tx, SYSTEM_KIND, dto as unknown as Record<string, unknown>);
    return this.catalogue.updateEntry(tx, row, values, actor, 'import');
  }
}

/** The state of one import request: its report, and what each source listed (for disappearance). */
class ImportRun {
  /** Services listed by listMethods in this request, for matching getOpenAPI documents. */
  private readonly services: XRoadService[] = [];

  constructor(
    private readonly tx: EntityManager,
    private readonly report: ImportReport,
    private readonly options: XRoadImportOptions,
    private readonly today: string,
    private readonly svc: XRoadImportService,
  ) {}

  async document(file: string, doc: XRoadDocument): Promise<void> {
    if (doc.type === 'global-conf' || doc.type === 'list-clients') return this.clients(file, doc);
    if (doc.type === 'list-methods') return this.listMethods(file, doc.services);
    return this.openApi(file, doc.openapi);
  }

  private table(file: string, table: string, target: string, rows: number): TableReport {
    const t: TableReport = { file, table, target, rows, created: 0, updated: 0, unchanged: 0, failed: 0, warnings: 0 };
    this.report.tables.push(t);
    return t;
  }

  /** Lists an issue; `warnings` counts warnings, while `failed` counts failed rows (item, below). */
  private issue(t: TableReport, i: ImportIssue & { item?: string }): void {
    if (i.status === 'warning') t.warnings++;
    if (this.report.issues.length < 5000) this.report.issues.push(i);
  }

  /**
   * Runs one item in a savepoint; a DomainError fails the item alone. The item stands for `rows` rows
   * of the file (the services of one subsystem are one item), each counted once: by the outcome `fn`
   * gives for it, or as failed however many reasons are listed. Work on what the file no longer lists
   * stands for no row (rows 0): it is reported as issues only.
   */
  private async item(t: TableReport, file: string, row: number, item: string, fn: () => Promise<Outcome | Outcome[] | undefined>, rows = 1): Promise<void> {
    const runner = this.tx.queryRunner!;
    await runner.startTransaction();
    try {
      const outcome = await fn();
      await runner.commitTransaction();
      for (const o of outcome === undefined ? [] : Array.isArray(outcome) ? outcome : [outcome]) t[o]++;
    } catch (err) {
      await runner.rollbackTransaction();
      if (!(err instanceof DomainError)) throw err;
      t.failed += rows;
      const errors: ItemError[] = err.errors?.length ? err.errors : [{ field: '', message: err.message }];
      for (const e of errors) this.issue(t, { file, row: e.row ?? row, status: 'failed', field: e.field || undefined, message: `${item}: ${e.message}` });
    }
  }

  private async clients(file: string, doc: Extract<XRoadDocument, { type: 'global-conf' | 'list-clients' }>): Promise<void> {
    const format = FORMAT[doc.type];
    const members = this.table(file, 'members', 'organisation', doc.members.length);
    const seenMembers = new Set<string>();
    const memberNames = new Map<string, string>();
    for (const [i, m] of doc.members.entries()) {
      const label = `member ${JSON.stringify([m.instance, m.memberClass, m.memberCode])}`;
      seenMembers.add(memberKey(m));
      // A name the database cannot hold fails its member (below), and must not name its subsystems' systems either.
      if (!m.problems && !jsonInputErrors(m.name).length) memberNames.set(memberKey(m), m.name);
      await this.item(members, file, i + 1, label, async () => {
        if (m.problems) throw DomainError.validation(m.problems);
        if (!m.memberClass || !m.memberCode) throw DomainError.validation([{ field: 'xroadMember', message: 'member class and code are required' }]);
        return (await this.svc.upsertMember(this.tx, m, format)).outcome;
      });
    }
    const subsystems = this.table(file, 'subsystems', 'system', doc.subsystems.length);
    const seenSystems = new Set<string>();
    for (const [i, s] of doc.subsystems.entries()) {
      const label = `subsystem ${JSON.stringify([s.instance, s.memberClass, s.memberCode, s.subsystemCode])}`;
      seenSystems.add(subsystemKey(s));
      await this.item(subsystems, file, i + 1, label, async () => {
        if (s.problems) throw DomainError.validation(s.problems);
        if (!s.subsystemCode) throw DomainError.validation([{ field: 'xroadSubsystem.subsystemCode', message: 'subsystem code is required' }]);
        return (await this.svc.upsertSubsystem(this.tx, s, format, this.options, memberNames.get(memberKey(s)))).outcome;
      });
    }
    // Gone from this source (same format, same instance): marked, never deleted.
    for (const org of await this.svc.organisations.findBySource(this.tx, format, doc.instance)) {
      const k = String(org.source?.externalId ?? '');
      if (seenMembers.has(k) || org.source?.missingSince) continue;
      await this.item(members, file, 0, `member ${k}`, async () => {
        if (await this.svc.markOrganisationMissing(this.tx, org, this.today)) {
          this.issue(members, { file, row: 0, status: 'warning', message: `member ${k} (${org.code}) no longer appears in ${doc.type} of ${doc.instance}: marked missing, kept` });
        }
        return undefined;
      }, 0);
    }
    for (const row of await this.svc.entries.findBySource(this.tx, 'system', format, doc.instance)) {
      if (seenSystems.has(row.source_key ?? '') || row.source?.missingSince) continue;
      await this.item(subsystems, file, 0, `subsystem ${row.source?.externalId}`, async () => {
        if (await this.svc.markMissing(this.tx, row, this.today, this.options.actor)) {
          this.issue(subsystems, { file, row: 0, status: 'warning', message: `subsystem ${row.source?.externalId} (${row.code}) no longer appears in ${doc.type} of ${doc.instance}: marked missing, kept` });
        }
        return undefined;
      }, 0);
    }
  }

  private async listMethods(file: string, services: XRoadService[]): Promise<void> {
    const t = this.table(file, 'services', 'system', services.length);
    const bySubsystem = new Map<string, { subsystem: XRoadSubsystem; services: XRoadService[]; rows: number[] }>();
    services.forEach((s, i) => {
      const k = subsystemKey(s);
      const group = bySubsystem.get(k) ?? { subsystem: s, services: [], rows: [] };
      group.services.push(s);
      group.rows.push(i + 1);
      bySubsystem.set(k, group);
    });
    for (const group of bySubsystem.values()) {
      const s = group.subsystem;
      const label = `services of ${JSON.stringify([s.instance, s.memberClass, s.memberCode, s.subsystemCode])}`;
      await this.item(t, file, group.rows[0], label, async () => {
        // Each service's own problems are reported at its own row (the item's row is its first service's);
        // a field that is not text reads as '' and is reported as such, not again as missing.
        const incomplete = (x: XRoadService) => !x.serviceCode || !x.instance || !x.memberClass || !x.memberCode || !x.subsystemCode;
        const own = group.services.map((x) => x.problems ?? (incomplete(x) ? [{ field: 'xroad', message: 'each service needs xroad_instance, member_class, member_code, subsystem_code and service_code' }] : []));
        const bad = group.rows.filter((_, j) => own[j].length);
        if (bad.length) {
          // The subsystem's services are imported together (the rest would be marked missing), so the
          // others fail with them, and their rows say why.
          const others = `not imported: the subsystem's service${bad.length > 1 ? 's' : ''} at row${bad.length > 1 ? 's' : ''} ${bad.join(', ')} cannot be imported, and its services are imported together`;
          const problems: ItemError[] = group.services.flatMap((_, j) => (own[j].length ? own[j] : [{ field: 'xroad', message: others }]).map((e) => ({ ...e, row: group.rows[j] })));
          throw DomainError.validation(problems);
        }
        const { row } = await this.svc.upsertSubsystem(this.tx, { ...s, name: undefined }, FORMAT['list-methods'], this.options);
        const { outcomes, missing } = await this.svc.mergeServices(this.tx, row, group.services, this.today, this.options.actor);
        for (const code of missing) {
          this.issue(t, { file, row: group.rows[0], status: 'warning', message: `${label}: service ${JSON.stringify(code)} no longer listed: interface kept, marked missing` });
        }
        this.services.push(...group.services);
        return outcomes;
      }, group.services.length);
    }
  }

  /**
   * A getOpenAPI answer does not name its service, so it is matched to the service of this request's
   * listMethods whose endpoints it describes (every listed endpoint is a path of the document).
   */
  private async openApi(file: string, api: OpenApiDocument): Promise<void> {
    const t = this.table(file, 'openapi', 'system', 1);
    await this.item(t, file, 1, `OpenAPI document ${JSON.stringify(api.title ?? file)}`, async () => {
      if (api.problems) throw DomainError.validation(api.problems);
      const ops = new Set(api.endpoints.map((e) => `${e.method} ${e.path}`));
      const candidates = this.services.filter((s) => s.endpoints.length > 0 && s.endpoints.every((e) => e.method === '*' ? api.endpoints.some((a) => a.path === e.path) : ops.has(`${e.method} ${e.path}`)));
      if (candidates.length !== 1) {
        throw DomainError.badRequest(
          'XROAD_OPENAPI_UNMATCHED',
          candidates.length
            ? `its endpoints match ${candidates.length} services (${candidates.map((c) => c.serviceCode).join(', ')}); import it with only its own listMethods`
            : 'no service listed by listMethods in this import has these endpoints: import it together with the listMethods answer of its subsystem',
        );
      }
      const service = candidates[0];
      const row = await this.svc.entries.findBySourceKey(this.tx, 'system', subsystemKey(service));
      if (!row) throw DomainError.badRequest('XROAD_SERVICE_UNKNOWN', `the subsystem of ${service.serviceCode} is not in the catalogue`);
      return (await this.svc.applyOpenApi(this.tx, row, service, api, this.options.actor)) ? 'updated' : 'unchanged';
    });
  }
}
