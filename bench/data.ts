/** Deterministic realistic catalogue text (French and English), for the benchmark. */

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADS_FR = ['Registre national des', 'Système de gestion des', 'Plateforme de', 'Base de données des', 'Fichier des', 'Portail des', 'Répertoire des', 'Service en ligne de', 'Demande de', 'Déclaration de', 'Système intégré de', 'Téléservice de'];
const HEADS_EN = ['National register of', 'Management system for', 'Platform for', 'Database of', 'Register of', 'Portal for', 'Directory of', 'Online service for', 'Application for', 'API for', 'Integrated system for', 'Data exchange for'];
const TOPICS_FR = ['entreprises', 'contribuables', 'véhicules', 'permis de conduire', 'passeports', 'naissances', 'décès', 'mariages', 'électeurs', 'diplômes', 'établissements scolaires', 'hôpitaux', 'vaccinations', 'parcelles cadastrales', 'titres fonciers', 'marchés publics', 'douanes', 'importations', 'exportations', 'subventions agricoles', 'exploitants agricoles', 'pensions de retraite', 'allocations familiales', 'employeurs', 'assurés sociaux', 'agents publics', 'salaires', 'associations', 'brevets', 'marques', 'médicaments', 'pharmacies', 'laboratoires', 'forêts', 'ressources en eau', 'routes', 'ponts', 'transports publics', 'licences de pêche', 'mines', 'hydrocarbures', 'énergie', 'télécommunications', 'fréquences radio', 'casier judiciaire', 'détenus', 'tribunaux', 'avocats', 'notaires', 'huissiers', 'état civil', 'résidences', 'étrangers', 'visas', 'réfugiés', 'bourses étudiantes', 'enseignants', 'examens', 'statistiques', 'recensement', 'ménages', 'budget', 'dette publique', 'trésorerie', 'impôts fonciers', 'taxe sur la valeur ajoutée', 'accises', 'jeux de hasard', 'armes', 'sécurité routière', 'accidents', 'pollution', 'déchets', 'climat', 'météorologie', 'séismes', 'inondations', 'tourisme', 'hôtels', 'patrimoine', 'musées', 'bibliothèques', 'archives', 'élections', 'partis politiques', 'syndicats', 'coopératives', 'microfinance', 'banques', 'assurances', 'bourses', 'logements sociaux', 'urbanisme', 'permis de construire', 'adresses', 'cartographie', 'frontières'];
const TOPICS_EN = ['companies', 'taxpayers', 'vehicles', 'driving licences', 'passports', 'births', 'deaths', 'marriages', 'voters', 'diplomas', 'schools', 'hospitals', 'vaccinations', 'land parcels', 'land titles', 'public procurement', 'customs', 'imports', 'exports', 'farm subsidies', 'farmers', 'pensions', 'child benefits', 'employers', 'insured persons', 'civil servants', 'payroll', 'charities', 'patents', 'trademarks', 'medicines', 'pharmacies', 'laboratories', 'forests', 'water resources', 'roads', 'bridges', 'public transport', 'fishing licences', 'mining', 'petroleum', 'energy', 'telecommunications', 'radio spectrum', 'criminal records', 'prisoners', 'courts', 'lawyers', 'notaries', 'bailiffs', 'civil registration', 'residence', 'foreigners', 'visas', 'refugees', 'student grants', 'teachers', 'exams', 'statistics', 'census', 'households', 'budget', 'public debt', 'treasury', 'property tax', 'value added tax', 'excise', 'gambling', 'firearms', 'road safety', 'accidents', 'pollution', 'waste', 'climate', 'weather', 'earthquakes', 'floods', 'tourism', 'hotels', 'heritage', 'museums', 'libraries', 'archives', 'elections', 'political parties', 'trade unions', 'cooperatives', 'microfinance', 'banks', 'insurance', 'stock exchange', 'social housing', 'urban planning', 'building permits', 'addresses', 'mapping', 'borders'];
const PLACES = (() => {
  const a = ['Ka', 'Ma', 'Bo', 'Ta', 'Ni', 'Sa', 'Do', 'Ko', 'Fa', 'Li', 'Ou', 'Zé', 'Té', 'Dja', 'Ga'];
  const b = ['nem', 'ra', 'dou', 'lé', 'bou', 'kan', 'mé', 'ti', 'ssa', 'gou', 'ri', 'ba'];
  const c = ['bé', 'gou', 'ville', 'ka', 'né', 'ro', 'dji', 'la', 'mbé', 'ssou'];
  const out: string[] = [];
  for (const x of a) for (const y of b) for (const z of c) out.push(x + y + z);
  return out;
})();
const SENTENCES_FR = [
  'Ce système permet la gestion des {t} et la délivrance des certificats correspondants.',
  'Les données sont mises à jour chaque semaine par les services déconcentrés de {p}.',
  'Il échange des informations avec la plateforme nationale d’interopérabilité.',
  "L'accès est réservé aux agents habilités et journalisé.",
  'Le registre contient l’historique complet des {t} depuis sa création.',
  'Une API REST documentée permet la consultation en temps réel.',
  'Les citoyens peuvent suivre leur demande en ligne et recevoir une notification par SMS.',
  'La base est hébergée au centre de données gouvernemental.',
];
const SENTENCES_EN = [
  'This system manages {t} and issues the corresponding certificates.',
  'Data is updated weekly by the regional offices in {p}.',
  'It exchanges information with the national interoperability platform.',
  'Access is restricted to authorised staff and logged.',
  'The register holds the complete history of {t} since it was created.',
  'A documented REST API allows real-time lookups.',
  'Citizens can track their application online and receive an SMS notification.',
  'The database is hosted in the government data centre.',
];
export const TAGS = [...TOPICS_FR.slice(0, 60), ...TOPICS_EN.slice(0, 60), 'api', 'open data', 'données ouvertes', 'x-road', 'registre de base', 'base register'];
const THEMES = ['AGRI', 'ECON', 'EDUC', 'ENER', 'ENVI', 'GOVE', 'HEAL', 'INTR', 'JUST', 'REGI', 'SOCI', 'TECH', 'TRAN'];
const OPERATIONAL: Record<string, string[]> = {
  system: ['in_production', 'in_production', 'in_production', 'in_development', 'planned', 'decommissioned'],
  dataset: ['active', 'active', 'active', 'planned', 'archived'],
  eservice: ['available', 'available', 'available', 'planned', 'suspended', 'withdrawn'],
};

export interface GeneratedEntry {
  kind: 'system' | 'dataset' | 'eservice';
  name: string;
  description: string;
  owner: number;
  lifecycle: string;
  operational: string;
  tags: string[];
  themes: string[];
  details: Record<string, unknown>;
}

/** Zipf-like pick: low indexes are much more frequent, so some topics are broad and most are selective. */
function zipf<T>(r: () => number, list: T[], s = 1.1): T {
  const u = r();
  const i = Math.floor(Math.pow(list.length + 1, Math.pow(u, s))) - 1;
  return list[Math.min(list.length - 1, Math.max(0, i))];
}

export function generateEntry(i: number, owners: number): GeneratedEntry {
  const r = rng(i * 7919 + 17);
  const kind = (['system', 'dataset', 'eservice'] as const)[i % 3];
  const english = r() < 0.4;
  const topicIndex = zipf(r, [...Array(TOPICS_FR.length).keys()]);
  const topic = english ? TOPICS_EN[topicIndex] : TOPICS_FR[topicIndex];
  const place = PLACES[Math.floor(r() * PLACES.length)];
  const head = english ? HEADS_EN[Math.floor(r() * HEADS_EN.length)] : HEADS_FR[Math.floor(r() * HEADS_FR.length)];
  const name = `${head} ${topic}${r() < 0.5 ? ` de ${place}` : ''}${r() < 0.1 ? ` (${topic.slice(0, 3).toUpperCase()}${i % 97})` : ''}`;
  const sentences = english ? SENTENCES_EN : SENTENCES_FR;
  const other = english ? TOPICS_EN[Math.floor(r() * TOPICS_EN.length)] : TOPICS_FR[Math.floor(r() * TOPICS_FR.length)];
  const description = Array.from({ length: 2 + Math.floor(r() * 4) }, (_, k) =>
    sentences[Math.floor(r() * sentences.length)].replace('{t}', k === 0 ? topic : other).replace('{p}', place),
  ).join(' ');
  const lr = r();
  const lifecycle = lr < 0.88 ? 'published' : lr < 0.92 ? 'deprecated' : lr < 0.97 ? 'draft' : 'in_review';
  const ops = OPERATIONAL[kind];
  const tags = [...new Set([TAGS[Math.floor(r() * TAGS.length)], TAGS[Math.floor(r() * 10)], ...(r() < 0.3 ? ['api'] : [])])];
  const themes = [...new Set([THEMES[Math.floor(r() * THEMES.length)], ...(r() < 0.5 ? [THEMES[Math.floor(r() * THEMES.length)]] : [])])];
  const details: Record<string, unknown> =
    kind === 'system' && r() < 0.6
      ? { interfaces: [{ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `${topic} API`, type: 'REST', baseUrl: `https://api.${place.toLowerCase()}.gov.example/${topicIndex}/v1` }] }
      : {};
  return { kind, name, description, owner: Math.floor(zipf(r, [...Array(owners).keys()], 0.8)), lifecycle, operational: ops[Math.floor(r() * ops.length)], tags, themes, details };
}

export function organisationName(i: number): string {
  const r = rng(i + 99991);
  const kinds = ['Ministère de', "Agence nationale de", 'Direction générale de', 'Office national de', 'Ministry of', 'National Agency for', 'Department for'];
  const k = kinds[Math.floor(r() * kinds.length)];
  const english = k.startsWith('Ministry') || k.startsWith('National') || k.startsWith('Department');
  const topic = english ? TOPICS_EN[i % TOPICS_EN.length] : TOPICS_FR[i % TOPICS_FR.length];
  return `${k} ${topic} ${i}`;
}

/** UK API catalogue style CSV rows (for the importer's rate); `salt` makes every row new to a catalogue that has imported them before. */
export function ukCsv(rows: number, providers: string[], salt = ''): string {
  const esc = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const lines = ['dateAdded,dateUpdated,url,name,description,documentation,license,maintainer,areaServed,startDate,endDate,provider'];
  for (let i = 0; i < rows; i++) {
    const e = generateEntry(1_000_000 + i, 50);
    lines.push(
      ['2021-01-01', '2021-06-01', `https://api${i}.example.gov.uk/`, esc(`${e.name} ${i}${salt}`), esc(e.description), `https://docs${i}.example.gov.uk/`, 'OGL', '', 'UK', '2020-01-01', '', providers[i % providers.length]].join(','),
    );
  }
  return lines.join('\n') + '\n';
}
