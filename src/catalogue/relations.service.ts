import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { actorOf, Viewer } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { validatePlain } from '../common/validation';
import { Db } from '../database/sql';
import { CatalogueRepository, EntryRow } from './catalogue.repository';
import { CreateRelationDto, GraphDto, MAX_GRAPH_DEPTH, RelationDto, RelationListDto } from './dto/relation.dto';
import type { EntryKind } from './entry.entity';
import type { KindDefinition } from './kind-definition';
import { CatalogueService } from './catalogue.service';
import { canEditRelationsOf } from './relation-access';
import { assertAllowed } from './entry-policy';
import { allowsPair, RELATION_TYPES, relationTypeOf, resolveRelationName } from './relation-types';
import { RelationRow, RelationsRepository } from './relations.repository';

/** Relations between entries and the impact graph; shared by the three kinds. */
@Injectable()
export class RelationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly entries: CatalogueRepository,
    private readonly relations: RelationsRepository,
    private readonly catalogue: CatalogueService,
  ) {}

  async list(def: KindDefinition, ref: string, viewer: Viewer): Promise<RelationListDto> {
    const entry = await this.mustFind(def, ref, viewer);
    const rows = await this.relations.listForEntry(entry.id, viewer);
    const items = rows.map((r) => toRelationResponse(r, entry.id));
    return { items, total: items.length };
  }

  async create(def: KindDefinition, ref: string, body: unknown, viewer: Viewer): Promise<RelationDto> {
    const dto = validatePlain(CreateRelationDto, body);
    const id = await this.dataSource.transaction(async (tx) => {
      const here = await this.mustFind(def, ref, viewer, tx);
      const other = await this.entries.findVisibleAnyKind(dto.entry, viewer, tx);
      if (!other) throw DomainError.validation([{ field: 'entry', message: `no entry ${JSON.stringify(dto.entry.slice(0, 64))} is visible to you` }]);
      const resolved = resolveRelationName(dto.type)!;
      const [source, target] = resolved.inverted ? [other, here] : [here, other];
      return this.link(tx, source, resolved.def.type, target, { interfaceId: dto.interfaceId ?? null, note: dto.note ?? null }, viewer);
    });
    const row = await this.relations.findById(this.dataSource, id);
    return toRelationResponse(row!, (await this.mustFind(def, ref, viewer)).id);
  }

  /**
   * Links two entries read in this transaction (also used by the demo seed). Checks the pair of kinds,
   * the interface and the caller's right to edit the source.
   */
  async link(tx: Db, source: EntryRow, type: string, target: EntryRow, extra: { interfaceId: string | null; note: string | null }, viewer: Viewer): Promise<string> {
    const relDef = relationTypeOf(type);
    if (!relDef) throw DomainError.validation([{ field: 'type', message: `type must be one of ${RELATION_TYPES.map((t) => t.type).join(', ')}` }]);
    assertAllowed(viewer, canEditRelationsOf(viewer, source), `Only editors of the owner of ${source.code} may link it to other entries`);
    if (source.id === target.id) throw DomainError.badRequest('RELATION_TO_ITSELF', 'An entry cannot be related to itself');
    if (!allowsPair(relDef, source.kind, target.kind)) {
      throw DomainError.badRequest(
        'RELATION_KINDS_INVALID',
        `A ${source.kind} cannot be linked to a ${target.kind} by ${relDef.type}: ${relDef.type} links ${relDef.pairs.map(([s, t]) => `${s} → ${t}`).join(', ')}`,
        [{ field: 'type', message: `${relDef.type} does not link a ${source.kind} to a ${target.kind}` }],
      );
    }
    if (relDef.type === 'realises' && target.details?.reusable !== true) {
      throw DomainError.badRequest('RELATION_TARGET_NOT_REUSABLE', `${target.code} is not marked as a reusable solution (reusable: true), so nothing can realise it`, [
        { field: 'entry', message: 'realises points at a reusable solution' },
      ]);
    }
    if (extra.interfaceId) {
      const owners = [source, target].filter((e) => interfacesOf(e).some((i) => i.id === extra.interfaceId));
      if (!owners.length) {
        throw DomainError.validation([{ field: 'interfaceId', message: `neither ${source.code} nor ${target.code} has an interface with this id` }]);
      }
    }
    const id = await this.relations.insert(tx, { sourceId: source.id, targetId: target.id, type: relDef.type, ...extra, createdBy: actorOf(viewer) });
    if (!id) throw DomainError.conflict('RELATION_EXISTS', `${source.code} ${relDef.type} ${target.code} is already recorded`);
    return id;
  }

  async remove(def: KindDefinition, ref: string, relationId: string, viewer: Viewer): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const here = await this.mustFind(def, ref, viewer, tx);
      const notFound = () => new DomainError(HttpStatus.NOT_FOUND, 'RELATION_NOT_FOUND', `${here.code} has no relation ${JSON.stringify(relationId.slice(0, 64))} visible to you`);
      if (!/^[0-9a-f-]{36}$/i.test(relationId)) throw notFound();
      const rel = await this.relations.findById(tx, relationId);
      if (!rel || (rel.source_id !== here.id && rel.target_id !== here.id)) throw notFound();
      const otherId = rel.source_id === here.id ? rel.target_id : rel.source_id;
      const other = await this.entries.findVisibleAnyKind(otherId, viewer, tx);
      if (!other) throw notFound();
      const source = rel.source_id === here.id ? here : other;
      assertAllowed(viewer, canEditRelationsOf(viewer, source), `Only editors of the owner of ${source.code} may remove its relations`);
      await this.relations.delete(tx, rel.id);
    });
  }

  async graph(def: KindDefinition, ref: string, direction: 'dependants' | 'dependencies' | 'both', depth: number, viewer: Viewer): Promise<GraphDto> {
    const root = await this.mustFind(def, ref, viewer);
    const d = Math.min(Math.max(1, depth), MAX_GRAPH_DEPTH);
    const { nodes, edges } = await this.relations.graph(root.id, direction, d, viewer);
    return {
      root: { id: root.id, code: root.code, kind: root.kind, name: root.name, lifecycleStatus: root.lifecycle_status },
      direction,
      depth: d,
      nodes: nodes.map((n) => ({ id: n.id, code: n.code, kind: n.kind, name: n.name, lifecycleStatus: n.lifecycle_status, depth: n.depth, roles: n.roles })),
      edges: edges.map((e) => ({ id: e.id, source: e.source_id, target: e.target_id, type: e.type, inverse: relationTypeOf(e.type)?.inverse ?? e.type })),
    };
  }

  private mustFind(def: KindDefinition, ref: string, viewer: Viewer, db?: Db): Promise<EntryRow> {
    return this.catalogue.mustFind(def, ref, viewer, db);
  }
}

function interfacesOf(e: EntryRow): { id?: string; name?: string }[] {
  const list = e.details?.interfaces;
  return Array.isArray(list) ? (list as { id?: string }[]) : [];
}

export function toRelationResponse(r: RelationRow, fromId: string): RelationDto {
  const outgoing = r.source_id === fromId;
  const source = { id: r.source_id, code: r.source_code, kind: r.source_kind as EntryKind, name: r.source_name, lifecycleStatus: r.source_status };
  const target = { id: r.target_id, code: r.target_code, kind: r.target_kind as EntryKind, name: r.target_name, lifecycleStatus: r.target_status };
  return {
    id: r.id,
    type: outgoing ? r.type : (relationTypeOf(r.type)?.inverse ?? r.type),
    direction: outgoing ? 'outgoing' : 'incoming',
    entry: outgoing ? target : source,
    source,
    relation: r.type,
    target,
    interface: r.interface_id ? { id: r.interface_id, name: r.interface_name } : null,
    note: r.note,
    createdAt: (r.created_at instanceof Date ? r.created_at : new Date(r.created_at)).toISOString(),
  };
}
