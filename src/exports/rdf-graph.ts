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
export type Term = NamedNode | BlankNode | Literal;
export type Subject = NamedNode | BlankNode;

/** `dct:title` → the full IRI. */
export function iri(curie: `${Prefix}:${string}`): NamedNode {
  const [p, local] = curie.split(':', 2) as [Prefix, string];
  return namedNode(PREFIXES[p] + local);
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

  node(value: string): NamedNode {
    return namedNode(value);
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
    const expanded = await jsonld.fromRDF(await this.toNQuads(), { format: 'application/n-quads' });
    return jsonld.compact(expanded, { ...PREFIXES });
  }
}
