import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { assertVersion, staleVersion } from '../common/etag';
import type { Page } from '../common/pagination.dto';
import { jsonEqual, mergePatch } from '../common/text';
import { assertObjectBody, validatePlain } from '../common/validation';
import { Db } from '../database/sql';
import { CreateOrganisationDto, ListOrganisationsQueryDto, OrganisationDto } from './dto/organisation.dto';
import { OrganisationRow, OrganisationsRepository, OrganisationValues } from './organisations.repository';

export function toOrganisationResponse(row: OrganisationRow): OrganisationDto {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    acronym: row.acronym,
    type: row.type,
    parent: row.parent_code,
    website: row.website,
    email: row.email,
    xroadMember: row.xroad_instance
      ? { instance: row.xroad_instance, memberClass: row.xroad_member_class ?? '', memberCode: row.xroad_member_code ?? '' }
      : null,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function toWritable(row: OrganisationRow): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    code: row.code,
    name: row.name,
    acronym: row.acronym,
    type: row.type,
    parent: row.parent_code,
    website: row.website,
    email: row.email,
    xroadMember: toOrganisationResponse(row).xroadMember,
  };
  for (const k of Object.keys(doc)) if (doc[k] === null) delete doc[k];
  return doc;
}

const notFound = (code: string) =>
  new DomainError(HttpStatus.NOT_FOUND, 'ORGANISATION_NOT_FOUND', `No organisation has the code ${JSON.stringify(code.slice(0, 100))}`);

/** True when writing `values` would leave the organisation's fields as stored (its code and source aside). */
export function storesTheSame(row: OrganisationRow, values: OrganisationValues): boolean {
  const stored = {
    name: row.name, acronym: row.acronym, type: row.type, parentId: row.parent_id, website: row.website, email: row.email,
    xroadInstance: row.xroad_instance, xroadMemberClass: row.xroad_member_class, xroadMemberCode: row.xroad_member_code,
  };
  return jsonEqual(stored, { ...values, code: undefined, source: undefined });
}

@Injectable()
export class OrganisationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organisations: OrganisationsRepository,
  ) {}

  async get(code: string): Promise<OrganisationDto> {
    const row = await this.organisations.findByCode(code);
    if (!row) throw notFound(code);
    return toOrganisationResponse(row);
  }

  async list(query: ListOrganisationsQueryDto): Promise<Page<OrganisationDto>> {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    const { rows, total } = await this.organisations.list({ ...query, limit, offset });
    return { items: rows.map(toOrganisationResponse), total, limit, offset };
  }

  async create(body: unknown, source: Record<string, unknown> | null = null): Promise<OrganisationDto> {
    const dto = validatePlain(CreateOrganisationDto, body);
    const code = await this.dataSource.transaction(async (tx) => {
      const values = await this.toValues(tx, dto, source);
      const created = await this.organisations.insert(tx, values);
      if (!created) throw DomainError.conflict('ORGANISATION_CODE_TAKEN', `An organisation already has the code ${JSON.stringify(dto.code)}`);
      return created.code;
    });
    return this.get(code);
  }

  async patch(code: string, patch: unknown, expectedVersion: number | undefined): Promise<OrganisationDto> {
    assertObjectBody(patch, 'a merge patch');
    await this.dataSource.transaction(async (tx) => {
      // If-Match `*` writes over whatever is current: concurrent writers take turns on the row's lock.
      const row = await this.organisations.findByCode(code, tx, expectedVersion === undefined);
      if (!row) throw notFound(code);
      assertVersion(row.version, expectedVersion);
      const merged = mergePatch(toWritable(row), patch) as Record<string, unknown>;
      if (merged.code !== row.code) {
        throw DomainError.validation([{ field: 'code', message: 'the code of an organisation never changes' }]);
      }
      const dto = validatePlain(CreateOrganisationDto, merged);
      const values = await this.toValues(tx, dto, row.source, row.id);
      if (values.parentId && (values.parentId === row.id || (await this.organisations.wouldCycle(tx, row.id, values.parentId)))) {
        throw DomainError.validation([{ field: 'parent', message: 'an organisation cannot be its own ancestor' }]);
      }
      // A patch that changes nothing writes nothing (the version stays, as an entry's does).
      if (storesTheSame(row, values)) return;
      const version = await this.organisations.update(tx, row.id, row.version, values);
      if (version === undefined) throw staleVersion(row.version + 1, row.version);
    });
    return this.get(code);
  }

  /**
   * Validated DTO → stored values; the parent must exist, and the X-Road member id must be no other
   * organisation's (`self`: the one being changed): X-Road imports match organisations on it.
   */
  async toValues(db: Db, dto: CreateOrganisationDto, source: Record<string, unknown> | null, self?: string): Promise<OrganisationValues> {
    let parentId: string | null = null;
    if (dto.parent) {
      parentId = await this.organisations.findIdByCode(db, dto.parent);
      if (!parentId) throw DomainError.validation([{ field: 'parent', message: `no organisation has the code ${JSON.stringify(dto.parent)}` }]);
    }
    const member = dto.xroadMember;
    if (member) {
      const holder = await this.organisations.findByXRoadMember(db, member.instance, member.memberClass, member.memberCode);
      if (holder && holder.id !== self) {
        throw DomainError.conflict('XROAD_MEMBER_TAKEN', `The organisation ${holder.code} already has the X-Road member id ${[member.instance, member.memberClass, member.memberCode].join('/')}`);
      }
    }
    return {
      code: dto.code,
      name: dto.name.trim(),
      acronym: dto.acronym ?? null,
      type: dto.type ?? 'other',
      parentId,
      website: dto.website ?? null,
      email: dto.email ?? null,
      xroadInstance: dto.xroadMember?.instance ?? null,
      xroadMemberClass: dto.xroadMember?.memberClass ?? null,
      xroadMemberCode: dto.xroadMember?.memberCode ?? null,
      source,
    };
  }
}
