import * as jsonld from 'jsonld';
import { RdfGraph } from './rdf-graph';

const byId = (doc: object) => {
  const graph = ((doc as { '@graph'?: { '@id': string }[] })['@graph'] ?? [doc]) as { '@id': string }[];
  return [...graph].sort((a, b) => a['@id'].localeCompare(b['@id']));
};

describe('RdfGraph as JSON-LD', () => {
  /** A graph with what the exports hold: types, language, typed and plain literals, blank nodes, a shared node, a repeated triple. */
  const sample = () => {
    const g = new RdfGraph('fr');
    const catalogue = g.node('https://catalogue.example/');
    g.type(catalogue, 'dcat:Catalog');
    g.text(catalogue, 'dct:title', 'Catalogue <national> & "interop"');
    for (let i = 0; i < 30; i++) {
      const d = g.node(`https://catalogue.example/datasets/DS${i}`);
      g.type(d, 'dcat:Dataset');
      g.add(catalogue, 'dcat:dataset', d);
      g.text(d, 'dct:title', `Registre ${i}`);
      g.text(d, 'dct:title', `Register ${i}`, 'en');
      g.add(d, 'dct:identifier', `DS${i}`);
      g.add(d, 'dct:issued', g.typedLiteral('2024-01-0' + ((i % 9) + 1), 'xsd:date'));
      g.add(d, 'dct:publisher', g.node('https://catalogue.example/organisations/ORG'));
      const contact = g.blank();
      g.type(contact, 'vcard:Kind');
      g.add(contact, 'vcard:fn', 'Équipe');
      g.add(d, 'dcat:contactPoint', contact);
      g.add(d, 'dcat:keyword', 'état civil', 'fr');
      g.add(d, 'dcat:keyword', 'état civil', 'fr'); // the same triple twice is stated once
    }
    return g;
  };

  it('is the graph jsonld.fromRDF and compact give, node for node (in linear time instead of quadratic)', async () => {
    const g = sample();
    const ours = await g.toJsonLd();
    const theirs = await jsonld.compact(await jsonld.fromRDF(await g.toNQuads(), { format: 'application/n-quads' }), (ours as { '@context': object })['@context'] as jsonld.ContextDefinition);
    expect(byId(ours)).toEqual(byId(theirs));
    expect((ours as { '@context': object })['@context']).toEqual((theirs as { '@context': object })['@context']);
  });

  it('states a repeated triple once and keeps the catalogue node whole', () => {
    const expanded = sample().toExpandedJsonLd();
    const catalogue = expanded.find((n) => n['@id'] === 'https://catalogue.example/')!;
    expect((catalogue['http://www.w3.org/ns/dcat#dataset'] as unknown[]).length).toBe(30);
    const first = expanded.find((n) => n['@id'] === 'https://catalogue.example/datasets/DS0')!;
    expect(first['http://www.w3.org/ns/dcat#keyword']).toEqual([{ '@value': 'état civil', '@language': 'fr' }]);
    expect(first['http://purl.org/dc/terms/identifier']).toEqual([{ '@value': 'DS0' }]);
    expect(first['http://purl.org/dc/terms/issued']).toEqual([{ '@value': '2024-01-01', '@type': 'http://www.w3.org/2001/XMLSchema#date' }]);
    expect(first['@type']).toEqual(['http://www.w3.org/ns/dcat#Dataset']);
  });
});
