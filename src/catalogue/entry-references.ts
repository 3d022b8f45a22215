import { Injectable } from '@nestjs/common';
import type { Viewer } from '../auth/principal';
import type { Db } from '../database/sql';
import { CatalogueRepository } from './catalogue.repository';
import type { KindDefinition } from './kind-definition';

type Doc = Record<string, unknown>;

/** The string in `key` of an item of an array field, if there is one. */
const refOf = (item: unknown, key: string): string | undefined => {
  const v = item && typeof item === 'object' ? (item as Doc)[key] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/**
 * Takes out of entry documents the names of entries the caller may not see (an e-service's evidence
 * naming another organisation's draft dataset): DESIGN §5 wants such an entry absent everywhere, and
 * a code in someone else's response is a trace of it. Who sees what is still decided by the
 * visibility rule alone (CatalogueRepository.visibleRefs reads through visibility.ts); a name that
 * matches no entry the caller sees is left out too, so what is left out says nothing about what exists.
 * The item itself stays, without its reference.
 */
@Injectable()
export class EntryReferences {
  constructor(private readonly entries: CatalogueRepository) {}

  /** `db`: the transaction to read in, when there is one (the embedded database has one connection). */
  async hide<T extends Doc>(def: Pick<KindDefinition, 'references'>, docs: T[], viewer: Viewer, db?: Db): Promise<T[]> {
    if (viewer.seesAll) return docs;
    let out = docs;
    for (const { field, key, kind } of def.references ?? []) {
      const items = (d: Doc): unknown[] => (Array.isArray(d[field]) ? (d[field] as unknown[]) : []);
      const named = [...new Set(out.flatMap((d) => items(d).map((i) => refOf(i, key))))].filter((r): r is string => r !== undefined);
      if (!named.length) continue;
      const visible = await this.entries.visibleRefs(kind, named, viewer, db);
      const hidden = (i: unknown) => {
        const ref = refOf(i, key);
        return ref !== undefined && !visible.has(ref);
      };
      out = out.map((d) => {
        if (!items(d).some(hidden)) return d;
        return { ...d, [field]: items(d).map((i) => (hidden(i) ? withoutKey(i as Doc, key) : i)) };
      });
    }
    return out;
  }

  /**
   * A patch applies to what the caller was shown (`shown`, from `stored` through hide): a reference
   * hidden from them stays as stored on an item they keep (same id) without setting it themselves.
   */
  restore<T extends Doc>(def: Pick<KindDefinition, 'references'>, stored: Doc, shown: Doc, merged: T): T {
    let out = merged;
    for (const { field, key } of def.references ?? []) {
      const byId = (d: Doc) => new Map((Array.isArray(d[field]) ? (d[field] as Doc[]) : []).filter((i) => refOf(i, 'id')).map((i) => [i.id as string, i]));
      const seen = byId(shown);
      const hiddenRefs = new Map([...byId(stored)].filter(([id, i]) => refOf(i, key) !== undefined && refOf(seen.get(id), key) === undefined).map(([id, i]) => [id, i[key]]));
      if (!hiddenRefs.size || !Array.isArray(out[field])) continue;
      const items = (out[field] as unknown[]).map((i) => {
        const id = refOf(i, 'id');
        return id && hiddenRefs.has(id) && refOf(i, key) === undefined ? { ...(i as Doc), [key]: hiddenRefs.get(id) } : i;
      });
      out = { ...out, [field]: items };
    }
    return out;
  }
}

function withoutKey(item: Doc, key: string): Doc {
  const copy = { ...item };
  delete copy[key];
  return copy;
}
