import { Inject, Injectable } from '@nestjs/common';
import { ANONYMOUS } from '../auth/principal';
import { CatalogueRepository, EntryRow } from '../catalogue/catalogue.repository';
import { RelationsRepository } from '../catalogue/relations.repository';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { RdfGraph, Subject } from './rdf-graph';

const EU = 'http://publications.europa.eu/resource/authority/';
const ACCESS_RIGHTS: Record<string, string> = { public: 'PUBLIC', restricted: 'RESTRICTED', non_public: 'NON_PUBLIC' };
const FREQUENCIES: Record<string, string> = {
  continuous: 'CONT', daily: 'DAILY', weekly: 'WEEKLY', monthly: 'MONTHLY', quarterly: 'QUARTERLY', annual: 'ANNUAL', irregular: 'IRREG', never: 'NEVER',
};
const LANGUAGES: Record<string, string> = { fr: 'FRA', en: 'ENG', pt: 'POR', es: 'SPA', de: 'DEU', et: 'EST', fi: 'FIN', ar: 'ARA', ha: 'HAU', yo: 'YOR', sw: 'SWA', it: 'ITA', nl: 'NLD' };
const FILE_TYPES = new Set(['CSV', 'JSON', 'XML', 'PDF', 'XLSX', 'XLS', 'ODS', 'ZIP', 'SHP', 'GEOJSON', 'RDF', 'TTL', 'HTML', 'TXT', 'KML', 'GML', 'JSON_LD', 'PARQUET']);
/** English labels of the EU data themes (the authority table's own labels). */
const THEME_LABELS: Record<string, string> = {
  AGRI: 'Agriculture, fisheries, forestry and food', ECON: 'Economy and finance', EDUC: 'Education, culture and sport', ENER: 'Energy',
  ENVI: 'Environment', GOVE: 'Government and public sector', HEAL: 'Health', INTR: 'International issues', JUST: 'Justice, legal system and public safety',
  REGI: 'Regions and cities', SOCI: 'Population and society', TECH: 'Science and technology', TRAN: 'Transport',
};
const isUrl = (v: unknown): v is string => typeof v === 'string' && /^https?:\/\/\S+$/i.test(v);

type Details = Record<string, any>;

/**
 * DCAT-AP 3.0.1 (datasets with distributions, system interfaces as data services) and CPSV-AP 3.2.0
 * (e-services) of what the public may see: published entries only, read through the visibility rule
 * as an anonymous caller, so restricted fields (hosting, technologies, security levels, named contacts)
 * never leave. Every referenced concept, agent and location carries its type triple, as the shapes'
 * class constraints require.
 */
@Injectable()
export class RdfExportService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly entries: CatalogueRepository,
    private readonly relations: RelationsRepository,
    private readonly organisations: OrganisationsRepository,
  ) {}

  async dcatAp(base: string): Promise<RdfGraph> {
    const g = new RdfGraph(this.config.catalogueLanguage);
    const [datasets, systems, hosts] = await Promise.all([
      this.entries.listPublished('dataset', ANONYMOUS),
      this.entries.listPublished('system', ANONYMOUS),
      this.relations.listVisible(['hosts'], ANONYMOUS),
    ]);
    const catalog = g.node(`${base}catalogue`);
    g.type(catalog, 'dcat:Catalog');
    g.text(catalog, 'dct:title', this.config.catalogueTitle);
    g.text(catalog, 'dct:description', `${this.config.catalogueTitle}: the information systems, datasets, registers and e-services of the administration.`);
    g.add(catalog, 'dct:publisher', await this.publisher(g, base));
    this.spatial(g, catalog);
    g.add(catalog, 'foaf:homepage', this.document(g, `${base}`));

    const publishedDatasets = new Set(datasets.map((d) => d.id));
    for (const d of datasets) {
      const ds = g.node(entryIri(base, d));
      g.type(ds, 'dcat:Dataset');
      g.add(catalog, 'dcat:dataset', ds);
      this.common(g, base, ds, d);
      const det = d.details as Details;
      if (det.accessRights && ACCESS_RIGHTS[det.accessRights]) g.add(ds, 'dct:accessRights', this.concept(g, `${EU}access-right/${ACCESS_RIGHTS[det.accessRights]}`, 'dct:RightsStatement'));
      if (det.updateFrequency && FREQUENCIES[det.updateFrequency]) g.add(ds, 'dct:accrualPeriodicity', this.concept(g, `${EU}frequency/${FREQUENCIES[det.updateFrequency]}`, 'dct:Frequency'));
      if (det.temporalCoverage?.start || det.temporalCoverage?.end) {
        const period = g.blank();
        g.type(period, 'dct:PeriodOfTime');
        if (det.temporalCoverage.start) g.add(period, 'dcat:startDate', g.typedLiteral(det.temporalCoverage.start, 'xsd:date'));
        if (det.temporalCoverage.end) g.add(period, 'dcat:endDate', g.typedLiteral(det.temporalCoverage.end, 'xsd:date'));
        g.add(ds, 'dct:temporal', period);
      }
      for (const dist of (det.distributions ?? []) as Details[]) {
        const accessUrl = dist.accessUrl ?? dist.downloadUrl;
        if (!isUrl(accessUrl)) continue; // dcat:accessURL is mandatory
        const n = g.node(`${entryIri(base, d)}#distribution-${dist.id}`);
        g.type(n, 'dcat:Distribution');
        g.add(ds, 'dcat:distribution', n);
        g.text(n, 'dct:title', dist.title);
        g.add(n, 'dcat:accessURL', g.node(accessUrl));
        if (isUrl(dist.downloadUrl)) g.add(n, 'dcat:downloadURL', g.node(dist.downloadUrl));
        const format = String(dist.format ?? '').toUpperCase().replace(/[^A-Z_]/g, '');
        if (FILE_TYPES.has(format)) g.add(n, 'dct:format', this.concept(g, `${EU}file-type/${format}`, 'dct:MediaTypeOrExtent'));
        const licence = dist.licence ?? det.licence;
        if (isUrl(licence)) g.add(n, 'dct:license', this.concept(g, licence, 'dct:LicenseDocument'));
      }
    }

    const served = new Map<string, string[]>();
    for (const h of hosts) if (publishedDatasets.has(h.target_id)) served.set(h.source_id, [...(served.get(h.source_id) ?? []), h.target_id]);
    const datasetById = new Map(datasets.map((d) => [d.id, d]));
    for (const s of systems) {
      for (const i of ((s.details as Details).interfaces ?? []) as Details[]) {
        const endpoint = [i.baseUrl, i.specUrl, i.documentationUrl].find(isUrl);
        if (!endpoint || i.missingSince) continue; // dcat:endpointURL is mandatory
        const svc = g.node(`${entryIri(base, s)}#interface-${i.id}`);
        g.type(svc, 'dcat:DataService');
        g.add(catalog, 'dcat:service', svc);
        g.text(svc, 'dct:title', i.name);
        g.text(svc, 'dct:description', i.description);
        g.add(svc, 'dcat:endpointURL', this.concept(g, endpoint, 'rdfs:Resource'));
        if (isUrl(i.specUrl)) g.add(svc, 'dcat:endpointDescription', this.concept(g, i.specUrl, 'rdfs:Resource'));
        if (isUrl(i.documentationUrl)) g.add(svc, 'foaf:page', this.document(g, i.documentationUrl));
        if (i.xroad) g.add(svc, 'dct:identifier', `xroad:${JSON.stringify([i.xroad.instance, i.xroad.memberClass, i.xroad.memberCode, i.xroad.subsystemCode, i.xroad.serviceCode, i.xroad.serviceVersion ?? null])}`);
        if (isUrl(i.licence)) g.add(svc, 'dct:license', this.concept(g, i.licence, 'dct:LicenseDocument'));
        if (s.owner_code) g.add(svc, 'dct:publisher', this.agent(g, base, s));
        for (const t of s.themes) g.add(svc, 'dcat:theme', this.theme(g, t));
        for (const dsId of served.get(s.id) ?? []) g.add(svc, 'dcat:servesDataset', g.node(entryIri(base, datasetById.get(dsId)!)));
      }
    }
    return g;
  }

  async cpsvAp(base: string): Promise<RdfGraph> {
    const g = new RdfGraph(this.config.catalogueLanguage);
    const [services, datasets] = await Promise.all([this.entries.listPublished('eservice', ANONYMOUS), this.entries.listPublished('dataset', ANONYMOUS)]);
    const datasetByRef = new Map<string, EntryRow>();
    for (const d of datasets) (datasetByRef.set(d.code, d), datasetByRef.set(d.id, d));
    for (const e of services) {
      const ps = g.node(entryIri(base, e));
      g.type(ps, 'cpsv:PublicService');
      g.add(ps, 'dct:identifier', e.code);
      g.text(ps, 'dct:title', e.name);
      g.text(ps, 'dct:description', e.description || e.name);
      for (const [lang, t] of Object.entries(e.translations ?? {}) as [string, { name?: string; description?: string }][]) {
        g.text(ps, 'dct:title', t.name, lang);
        g.text(ps, 'dct:description', t.description, lang);
      }
      for (const tag of e.tags) g.text(ps, 'dcat:keyword', tag);
      for (const t of e.themes) g.add(ps, 'cv:thematicArea', this.theme(g, t));
      const det = e.details as Details;
      if (e.owner_id) g.add(ps, 'cv:hasCompetentAuthority', this.publicOrganisation(g, base, e));
      for (const lang of (det.languages ?? []) as string[]) {
        const code = LANGUAGES[lang.slice(0, 2)];
        if (code) g.add(ps, 'dct:language', this.concept(g, `${EU}language/${code}`, 'dct:LinguisticSystem'));
      }
      (det.channels ?? []).forEach((c: Details) => {
        const ch = g.node(`${entryIri(base, e)}#channel-${c.id}`);
        g.type(ch, 'cv:Channel');
        g.add(ps, 'cv:hasChannel', ch);
        g.add(ch, 'dct:identifier', String(c.id));
        g.add(ch, 'dct:type', this.concept(g, `${base}vocabularies/channel-type/${c.type}`, 'skos:Concept', c.type));
        g.text(ch, 'dct:description', c.description);
      });
      for (const ev of (det.evidence ?? []) as Details[]) {
        const n = g.node(`${entryIri(base, e)}#evidence-${ev.id}`);
        g.type(n, 'cv:Evidence');
        g.add(ps, 'cpsv:hasInput', n);
        g.add(n, 'dct:identifier', String(ev.id));
        g.text(n, 'dct:title', ev.name);
        g.text(n, 'dct:description', ev.description);
        const holder = ev.dataset ? datasetByRef.get(String(ev.dataset).toUpperCase()) ?? datasetByRef.get(String(ev.dataset)) : undefined;
        if (holder) g.add(n, 'rdfs:seeAlso', g.node(entryIri(base, holder)));
      }
      if (det.output) {
        const out = g.node(`${entryIri(base, e)}#output`);
        g.type(out, 'cv:Output');
        g.add(ps, 'cpsv:produces', out);
        g.add(out, 'dct:identifier', `${e.code}-output`);
        g.text(out, 'dct:title', det.output);
      }
      if (det.fee) {
        const cost = g.node(`${entryIri(base, e)}#cost`);
        g.type(cost, 'cv:Cost');
        g.add(ps, 'cv:hasCost', cost);
        g.add(cost, 'dct:identifier', `${e.code}-cost`);
        g.text(cost, 'dct:description', det.fee);
      }
      for (const l of (e.legal_basis ?? []) as Details[]) {
        if (!isUrl(l.url)) continue;
        const law = g.node(l.url);
        g.type(law, 'eli:LegalResource');
        g.add(ps, 'cv:hasLegalResource', law);
      }
      const mailbox = (e.contacts as Details[]).find((c) => c.email && !c.name);
      if (mailbox || isUrl(det.serviceUrl)) {
        const cp = g.node(`${entryIri(base, e)}#contact-point`);
        g.type(cp, 'cv:ContactPoint');
        g.add(ps, 'cv:contactPoint', cp);
        if (mailbox) g.add(cp, 'cv:email', mailbox.email);
        if (isUrl(det.serviceUrl)) g.add(cp, 'foaf:page', this.document(g, det.serviceUrl));
      }
    }
    return g;
  }

  // ---- referenced resources, each with its type ----

  private common(g: RdfGraph, base: string, s: Subject, e: EntryRow): void {
    g.add(s, 'dct:identifier', e.code);
    g.text(s, 'dct:title', e.name);
    g.text(s, 'dct:description', e.description || e.name); // mandatory
    for (const [lang, t] of Object.entries(e.translations ?? {}) as [string, { name?: string; description?: string }][]) {
      g.text(s, 'dct:title', t.name, lang);
      g.text(s, 'dct:description', t.description, lang);
    }
    for (const tag of e.tags) g.text(s, 'dcat:keyword', tag);
    for (const t of e.themes) g.add(s, 'dcat:theme', this.theme(g, t));
    if (e.owner_id) g.add(s, 'dct:publisher', this.agent(g, base, e));
    g.add(s, 'dct:modified', g.typedLiteral(new Date(e.updated_at).toISOString(), 'xsd:dateTime'));
    if (e.published_at) g.add(s, 'dct:issued', g.typedLiteral(new Date(e.published_at).toISOString(), 'xsd:dateTime'));
    // Functional mailboxes only: named people's details are restricted (DESIGN §5).
    const mailbox = (e.contacts as Details[]).find((c) => c.email && !c.name);
    if (mailbox) {
      const kind = g.blank();
      g.type(kind, 'vcard:Kind');
      g.text(kind, 'vcard:fn', mailbox.role);
      g.add(kind, 'vcard:hasEmail', g.node(`mailto:${mailbox.email}`));
      g.add(s, 'dcat:contactPoint', kind);
    }
  }

  private theme(g: RdfGraph, code: string) {
    const n = this.concept(g, `${EU}data-theme/${code}`, 'skos:Concept');
    if (!g.typedOnce(`label ${code}`)) g.add(n, 'skos:prefLabel', THEME_LABELS[code] ?? code, 'en');
    return n;
  }

  private concept(g: RdfGraph, value: string, cls: Parameters<RdfGraph['type']>[1], label?: string) {
    const n = g.node(value);
    g.type(n, cls);
    if (label && cls === 'skos:Concept') g.text(n, 'skos:prefLabel', label);
    return n;
  }

  private document(g: RdfGraph, url: string) {
    return this.concept(g, url, 'foaf:Document');
  }

  private spatial(g: RdfGraph, s: Subject): void {
    if (this.config.catalogueSpatial) g.add(s, 'dct:spatial', this.concept(g, this.config.catalogueSpatial, 'dct:Location'));
  }

  private agent(g: RdfGraph, base: string, e: EntryRow) {
    const n = g.node(`${base}organisations/${encodeURIComponent(e.owner_code!)}`);
    if (g.typedOnce(`agent ${n.value}`)) return n;
    g.type(n, 'foaf:Agent');
    g.text(n, 'foaf:name', e.owner_name);
    return n;
  }

  private publicOrganisation(g: RdfGraph, base: string, e: EntryRow) {
    const n = g.node(`${base}organisations/${encodeURIComponent(e.owner_code!)}`);
    if (g.typedOnce(`organisation ${n.value}`)) return n;
    g.type(n, 'cv:PublicOrganisation');
    g.text(n, 'skos:prefLabel', e.owner_name);
    this.spatial(g, n);
    return n;
  }

  private async publisher(g: RdfGraph, base: string) {
    const org = this.config.cataloguePublisher ? await this.organisations.findByCode(this.config.cataloguePublisher) : undefined;
    const n = g.node(org ? `${base}organisations/${encodeURIComponent(org.code)}` : `${base}catalogue#publisher`);
    g.type(n, 'foaf:Agent');
    g.text(n, 'foaf:name', org?.name ?? this.config.cataloguePublisher ?? this.config.catalogueTitle);
    return n;
  }
}

export function entryIri(base: string, e: Pick<EntryRow, 'kind' | 'code'>): string {
  const path = e.kind === 'system' ? 'systems' : e.kind === 'dataset' ? 'datasets' : 'eservices';
  return `${base}${path}/${e.code}`;
}
