import type { EntryKind } from './entry.entity';

/**
 * The relation vocabulary (DESIGN §4), in one table: forward name, inverse name, allowed
 * (source kind → target kind) pairs, and which way an outage travels (for the impact graph).
 *
 * `sourceDependsOnTarget`: the source stops when the target is down (an e-service that uses a register).
 * `targetDependsOnSource`: the target stops when the source is down (an e-service a system provides).
 * Both for `hosts` (a register is down when its host is, and the host is impaired without it) and
 * `partOf` (a whole is impaired without its part, a part goes down with its whole).
 */
export interface RelationTypeDefinition {
  type: string;
  inverse: string;
  pairs: readonly (readonly [EntryKind, EntryKind])[];
  sourceDependsOnTarget: boolean;
  targetDependsOnSource: boolean;
  description: string;
}

export const RELATION_TYPES: readonly RelationTypeDefinition[] = [
  { type: 'provides', inverse: 'providedBy', pairs: [['system', 'eservice']], sourceDependsOnTarget: false, targetDependsOnSource: true, description: 'a system provides an e-service' },
  { type: 'uses', inverse: 'usedBy', pairs: [['eservice', 'dataset'], ['system', 'dataset']], sourceDependsOnTarget: true, targetDependsOnSource: false, description: 'an e-service or system uses a dataset or register' },
  { type: 'hosts', inverse: 'hostedBy', pairs: [['system', 'dataset']], sourceDependsOnTarget: true, targetDependsOnSource: true, description: 'a system hosts a dataset or register' },
  { type: 'dependsOn', inverse: 'dependencyOf', pairs: [['system', 'system']], sourceDependsOnTarget: true, targetDependsOnSource: false, description: 'a system needs another system to work' },
  {
    type: 'partOf',
    inverse: 'hasPart',
    pairs: [['system', 'system'], ['dataset', 'dataset'], ['eservice', 'eservice']],
    sourceDependsOnTarget: true,
    targetDependsOnSource: true,
    description: 'an entry is part of a larger one of the same kind',
  },
  { type: 'realises', inverse: 'realisedBy', pairs: [['system', 'system']], sourceDependsOnTarget: true, targetDependsOnSource: false, description: 'a system realises (is built on) a reusable solution' },
];

/** Forward and inverse names a client may write. */
export const RELATION_NAMES: string[] = RELATION_TYPES.flatMap((t) => [t.type, t.inverse]);

/** Resolves a forward or inverse name; `inverted` says the caller's entry is the target. */
export function resolveRelationName(name: string): { def: RelationTypeDefinition; inverted: boolean } | undefined {
  for (const def of RELATION_TYPES) {
    if (def.type === name) return { def, inverted: false };
    if (def.inverse === name) return { def, inverted: true };
  }
  return undefined;
}

export function relationTypeOf(type: string): RelationTypeDefinition | undefined {
  return RELATION_TYPES.find((t) => t.type === type);
}

export function allowsPair(def: RelationTypeDefinition, source: EntryKind, target: EntryKind): boolean {
  return def.pairs.some(([s, t]) => s === source && t === target);
}
