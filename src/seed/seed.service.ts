import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { SYSTEM_VIEWER } from '../auth/principal';
import { CatalogueRepository } from '../catalogue/catalogue.repository';
import { CatalogueService } from '../catalogue/catalogue.service';
import { RelationsService } from '../catalogue/relations.service';
import type { EntryKind } from '../catalogue/entry.entity';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { validatePlain } from '../common/validation';
import { sqlOne } from '../database/sql';
import { KINDS } from '../kinds';
import { CreateOrganisationDto } from '../organisations/dto/organisation.dto';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { OrganisationsService } from '../organisations/organisations.service';

interface DemoEntry extends Record<string, unknown> {
  key: string;
}

export interface DemoCatalogue {
  organisations: Record<string, unknown>[];
  systems: DemoEntry[];
  datasets: DemoEntry[];
  eservices: DemoEntry[];
  relations: { from: string; type: string; to: string; note?: string | null }[];
}


export function readDemoCatalogue(): DemoCatalogue {
  return JSON.parse(readFileSync(join(__dirname, 'demo-catalogue.json'), 'utf8')) as DemoCatalogue;
}

/**
 * Loads the bundled demo catalogue (a fictional French-speaking West African government) into an
 * empty database at start-up, published, in one transaction. SEED_DEMO=false turns it off.
 */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seed');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organisationsService: OrganisationsService,
    private readonly organisations: OrganisationsRepository,
    private readonly catalogue: CatalogueService,
    private readonly entries: CatalogueRepository,
    private readonly relations: RelationsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.seedDemo) await this.seedIfEmpty();
  }

  /** Returns true when it loaded the demo. */
  async seedIfEmpty(): Promise<boolean> {
    const started = Date.now();
    const demo = readDemoCatalogue();
    const loaded = await this.dataSource.transaction(async (tx) => {
      const counts = await sqlOne<{ n: number }>(tx, `SELECT ((SELECT count(*) FROM organisations) + (SELECT count(*) FROM catalogue_entries))::int AS n`);
      if ((counts?.n ?? 0) > 0) return false;
      // Parents first: insert in passes until every organisation is in.
      const pending = [...demo.organisations];
      while (pending.length) {
        const ready = pending.filter((o) => !o.parent || !pending.some((p) => p.code === o.parent));
        if (!ready.length) throw new Error('demo organisations have a parent loop');
        for (const org of ready) {
          const dto = validatePlain(CreateOrganisationDto, stripNulls(org));
          await this.organisations.insert(tx, await this.organisationsService.toValues(tx, dto, { format: 'demo' }));
          pending.splice(pending.indexOf(org), 1);
        }
      }
      const codes = new Map<string, string>();
      const ids = new Map<string, string>();
      const order: [EntryKind, DemoEntry[]][] = [
        ['dataset', demo.datasets],
        ['system', demo.systems],
        ['eservice', demo.eservices],
      ];
      for (const [kind, entries] of order) {
        const def = KINDS[kind];
        for (const { key, ...fields } of entries) {
          const body = stripNulls(fields) as Record<string, unknown>;
          if (Array.isArray(body.evidence)) {
            body.evidence = (body.evidence as Record<string, unknown>[]).map((e) => (e.dataset ? { ...e, dataset: codes.get(e.dataset as string) } : e));
          }
          let dto: object;
          try {
            dto = validatePlain(def.createDto, body);
          } catch (err) {
            const detail = err instanceof DomainError ? JSON.stringify(err.errors) : String(err);
            throw new Error(`demo ${kind} ${key} is invalid: ${detail}`);
          }
          const values = await this.catalogue.toStoredValues(tx, def, dto as Record<string, unknown>);
          const created = await this.catalogue.insertEntry(tx, def, values, 'published', `demo:${key}`, 'seed');
          codes.set(key, created.code);
          ids.set(key, created.id);
        }
      }
      for (const r of demo.relations ?? []) {
        const [sourceId, targetId] = [ids.get(r.from), ids.get(r.to)];
        if (!sourceId || !targetId) throw new Error(`demo relation ${r.from} ${r.type} ${r.to} names an unknown entry`);
        const [source, target] = [await this.entries.findForUpdate(tx, sourceId), await this.entries.findForUpdate(tx, targetId)];
        await this.relations.link(tx, source!, r.type, target!, { interfaceId: null, note: r.note ?? null }, SYSTEM_VIEWER);
      }
      return true;
    });
    if (loaded) {
      this.logger.log(
        `Loaded the demo catalogue: ${demo.organisations.length} organisations, ${demo.systems.length} systems, ` +
          `${demo.datasets.length} datasets, ${demo.eservices.length} e-services, ${demo.relations?.length ?? 0} relations in ${Date.now() - started} ms`,
      );
    }
    return loaded;
  }
}

/** The demo file writes absent values as null; the API's DTOs expect them left out. */
function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, stripNulls(v)]));
  }
  return value;
}
