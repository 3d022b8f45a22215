import * as jsonld from 'jsonld';
import { DataFactory, Quad, Writer } from 'n3';
import type { BlankNode, Literal, NamedNode } from 'n3';

const { namedNode, literal, blankNode, quad } = DataFactory;

export const PREFIXES = {
  adms: 'http://www.w3.org/ns/adms#',
  cpsv: 'http://purl.org/vocab/cpsv#',
  cv: 'http://data.europa.eu/m8g/',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  eli: 'http://data.europa.eu/eli/ontology#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  locn: 'http://www.w3.org/ns/locn#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

type Prefix = keyof typeof PREFIXES;

const RDF_TYPE = `${PREFIXES.rdf}type`;
const XSD_STRING = `${PREFIXES.xsd}string`;
export type Term = NamedNode | BlankNode | Literal;
export type Subject = NamedNode | BlankNode;

/** `dct:title` → the full IRI. */
export function iri(curie: `${Prefix}:${string}`): NamedNode {
  const [p, local] = curie.split(':', 2) as [Prefix, string];
  return namedNode(PREFIXES[p] + local);
}

/** RFC 3987 `ucschar`: the non-ASCII characters an IRI may carry unencoded anywhere. */
function isUcsChar(cp: number): boolean {
  if (cp >= 0xa0 && cp <= 0xd7ff) return true;
  if (cp >= 0xf900 && cp <= 0xfdcf) return true;
  if (cp >= 0xfdf0 && cp <= 0xffef) return true;
  return cp >= 0x10000 && cp <= 0xefffd && (cp & 0xffff) <= 0xfffd && (cp < 0xe0000 || cp >= 0xe1000);
}

/** RFC 3987 `iprivate`: allowed in the query only. */
function isPrivateUse(cp: number): boolean {
  return (cp >= 0xe000 && cp <= 0xf8ff) || (cp >= 0xf0000 && cp <= 0x10fffd && (cp & 0xffff) <= 0xfffd);
}

const ASCII_ALLOWED = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?]$/;
const HEX2 = /^[0-9A-Fa-f]{2}$/;
const utf8 = new TextEncoder();

/**
 * `value` as an IRI (RFC 3987): every character an IRI may not carry raw is percent-encoded as UTF-8
 * (space, controls, `< > " { } | \ ^ \``, a `%` not starting an escape, brackets outside the authority,
 * a second `#`, non-characters), so a stored URL such as `.../titles/{title_number}` serialises as valid
 * Turtle and N-Quads. A valid IRI comes back unchanged; the stored value itself is never altered.
 */
export function toIri(value: string): string {
  const authorityStart = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(value)?.[0].length;
  let part: 'authority' | 'path' | 'query' | 'fragment' = authorityStart === undefined ? 'path' : 'authority';
  let out = '';
  let i = 0;
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    const at = i;
    i += ch.length;
    if (part === 'authority' && at >= authorityStart! && (ch === '/' || ch === '?' || ch === '#')) part = 'path';
    if (ch === '?' && part === 'path') part = 'query';
    else if (ch === '#' && part !== 'fragment') {
      part = 'fragment';
      out += ch;
      continue;
    }
    const allowed =
      ASCII_ALLOWED.test(ch) ||
      ((ch === '[' || ch === ']') && part === 'authority') ||
      (ch === '%' && HEX2.test(value.slice(i, i + 2))) ||
      isUcsChar(cp) ||
      (part === 'query' && isPrivateUse(cp));
    out += allowed ? ch : [...utf8.encode(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

/**
 * A small RDF graph builder over n3's data model. Text goes in as literals, exactly as stored;
 * the serialisers (n3's Turtle writer, jsonld) escape it, so nothing is ever emitted as markup.
 */
export class RdfGraph {
  readonly quads: Quad[] = [];
  private readonly typed = new Set<string>();

  /** `language` tags the catalogue's own texts (names, descriptions, labels). */
  constructor(readonly language: string) {}

  /** A resource named by `value` (a stored URL, an entry's address), made a valid IRI. */
  node(value: string): NamedNode {
    return namedNode(toIri(value));
  }

  blank(): BlankNode {
    return blankNode();
  }

  add(s: Subject, p: `${Prefix}:${string}`, o: Term | string | undefined | null, lang?: string): void {
    if (o === undefined || o === null || o === '') return;
    this.quads.push(quad(s, iri(p), typeof o === 'string' ? literal(o, lang) : o));
  }

  /** Text in the catalogue's language (or `lang` for a translation). */
  text(s: Subject, p: `${Prefix}:${string}`, value: string | undefined | null, lang?: string): void {
    this.add(s, p, value, lang ?? this.language);
  }

  typedLiteral(value: string, datatype: `${Prefix}:${string}`): Literal {
    return literal(value, iri(datatype));
  }

  /** True when `key` was seen before (and remembers it): for describing a shared resource once. */
  typedOnce(key: string): boolean {
    if (this.typed.has(`once ${key}`)) return true;
    this.typed.add(`once ${key}`);
    return false;
  }

  /** `s a class`, once per subject and class (shared concepts are typed once however often used). */
  type(s: Subject, cls: `${Prefix}:${string}`): void {
    const key = `${s.value} ${cls}`;
    if (this.typed.has(key)) return;
    this.typed.add(key);
    this.quads.push(quad(s, iri('rdf:type'), iri(cls)));
  }

  async toTurtle(): Promise<string> {
    const writer = new Writer({ prefixes: PREFIXES });
    writer.addQuads(this.quads);
    return new Promise((resolve, reject) => writer.end((err, out) => (err ? reject(err) : resolve(out))));
  }

  async toNQuads(): Promise<string> {
    const writer = new Writer({ format: 'N-Quads' });
    writer.addQuads(this.quads);
    return new Promise((resolve, reject) => writer.end((err, out) => (err ? reject(err) : resolve(out))));
  }

  /** JSON-LD, compacted with the vocabulary prefixes (no remote context is fetched). */
  async toJsonLd(): Promise<object> {
    return jsonld.compact(this.toExpandedJsonLd() as jsonld.JsonLdDocument, { ...PREFIXES });
  }

  /**
   * The graph as expanded JSON-LD, as jsonld's fromRDF gives it with its default options (one node
   * object per subject, in the order subjects first appear; duplicate triples once; `rdf:type` as
   * `@type`; literals as `@value` with `@language` or a `@type` other than xsd:string), but in linear
   * time: fromRDF checks each new value against all of its node's values, so the catalogue node, with
   * one `dcat:dataset` per entry, made it quadratic (found by a new-user check: at 40,000 entries the
   * JSON-LD export held the server's only thread for over 15 minutes; 4,000 took 6 s).
   */
  toExpandedJsonLd(): Record<string, unknown>[] {
    const id = (t: Subject | Term) => (t.termType === 'BlankNode' ? `_:${t.value}` : t.value);
    const nodes = new Map<string, Record<string, unknown[] | string>>();
    const seen = new Set<string>();
    for (const q of this.quads) {
      const o = q.object as Term;
      const key = `${id(q.subject as Subject)} ${q.predicate.value} ${o.termType === 'Literal' ? `"${o.value}"@${o.language}^^${o.datatype.value}` : id(o)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const subject = id(q.subject as Subject);
      let node = nodes.get(subject);
      if (!node) nodes.set(subject, (node = { '@id': subject }));
      const values = (k: string) => (node![k] ??= []) as unknown[];
      if (q.predicate.value === RDF_TYPE && o.termType !== 'Literal') values('@type').push(id(o));
      else if (o.termType !== 'Literal') values(q.predicate.value).push({ '@id': id(o) });
      else if (o.language) values(q.predicate.value).push({ '@value': o.value, '@language': o.language });
      else if (o.datatype.value === XSD_STRING) values(q.predicate.value).push({ '@value': o.value });
      else values(q.predicate.value).push({ '@value': o.value, '@type': o.datatype.value });
    }
    return [...nodes.values()];
  }
}
