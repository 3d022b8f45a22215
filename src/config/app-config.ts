import { resolve } from 'node:path';

export type SearchBackend = 'postgres' | 'meilisearch';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The whole configuration of the service, read once from the environment and validated at boot. */
export interface AppConfig {
  port: number;
  /** PostgreSQL connection string; undefined means the embedded database (PGlite) under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  searchBackend: SearchBackend;
  meiliUrl?: string;
  meiliApiKey?: string;
  /** Meilisearch index holding the entries (MEILI_INDEX, default catalogue_entries). */
  meiliIndex: string;
  /** Megabytes of memory for recent search and suggest answers, each served only while the database is unchanged (0: none). */
  searchCacheMb: number;
  /** Seconds between sweeps of the typo vocabulary (VocabularySweeper; 0: none). */
  vocabularySweepSeconds: number;
  oidcIssuer?: string;
  oidcAudience?: string;
  oidcJwksUri?: string;
  catalogueTitle: string;
  cataloguePublisher?: string;
  catalogueSpatial?: string;
  /** Language of the catalogue's own texts (BCP 47, e.g. fr): the language tag of exported literals. */
  catalogueLanguage: string;
  corsOrigins: string[];
  seedDemo: boolean;
  logLevel: LogLevel;
  /** Largest accepted request body in bytes (JSON and uploads). */
  bodyLimit: number;
  /** Working days (Monday–Friday) a review has before its deadline. */
  reviewWorkingDays: number;
  /** Requests per minute per client address (0: no limit). */
  rateLimitPerMinute: number;
  /** Failed authentications per client address per 15 minutes before credentials are refused with 429 (0: no limit). */
  authFailureLimit: number;
  /** Take the client address from X-Forwarded-For (only behind a reverse proxy you run). */
  trustProxy: boolean;
}

export class ConfigError extends Error {}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function bool(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  const v = raw.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function int(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

function url(name: string, raw: string | undefined, protocols: string[]): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

function language(name: string, raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'en';
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(raw)) throw new ConfigError(`${name} must be a language code such as fr or en, got "${raw}"`);
  return raw;
}

function meiliIndex(raw: string | undefined): string {
  const name = raw || 'catalogue_entries';
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(name)) throw new ConfigError(`MEILI_INDEX may hold letters, digits, - and _ only, got "${raw}"`);
  return name;
}

/** Reads and validates the environment. Throws ConfigError with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const searchBackend = (env.SEARCH_BACKEND || 'postgres') as SearchBackend;
  if (!['postgres', 'meilisearch'].includes(searchBackend)) {
    throw new ConfigError(`SEARCH_BACKEND must be postgres or meilisearch, got "${env.SEARCH_BACKEND}"`);
  }
  const meiliUrl = url('MEILI_URL', env.MEILI_URL, ['http:', 'https:']);
  if (searchBackend === 'meilisearch' && !meiliUrl) {
    throw new ConfigError('SEARCH_BACKEND=meilisearch needs MEILI_URL');
  }
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  return {
    port: int('PORT', env.PORT, 3000, 0, 65535),
    databaseUrl: url('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:']),
    dataDir: resolve(env.DATA_DIR || './data'),
    searchBackend,
    meiliUrl,
    meiliApiKey: env.MEILI_API_KEY || undefined,
    meiliIndex: meiliIndex(env.MEILI_INDEX),
    searchCacheMb: int('SEARCH_CACHE_MB', env.SEARCH_CACHE_MB, 16, 0, 4096),
    vocabularySweepSeconds: int('VOCABULARY_SWEEP_SECONDS', env.VOCABULARY_SWEEP_SECONDS, 30, 0, 86400),
    oidcIssuer: env.OIDC_ISSUER || undefined,
    oidcAudience: env.OIDC_AUDIENCE || undefined,
    oidcJwksUri: url('OIDC_JWKS_URI', env.OIDC_JWKS_URI, ['http:', 'https:']),
    catalogueTitle: env.CATALOGUE_TITLE || 'Interoperability catalogue',
    cataloguePublisher: env.CATALOGUE_PUBLISHER || undefined,
    catalogueSpatial: url('CATALOGUE_SPATIAL', env.CATALOGUE_SPATIAL, ['http:', 'https:']),
    catalogueLanguage: language('CATALOGUE_LANGUAGE', env.CATALOGUE_LANGUAGE),
    corsOrigins: (env.CORS_ORIGINS || '*')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    seedDemo: bool('SEED_DEMO', env.SEED_DEMO, true),
    logLevel,
    bodyLimit: int('BODY_LIMIT', env.BODY_LIMIT, 10 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    reviewWorkingDays: int('REVIEW_WORKING_DAYS', env.REVIEW_WORKING_DAYS, 10, 1, 365),
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', env.RATE_LIMIT_PER_MINUTE, 1200, 0, 1_000_000),
    authFailureLimit: int('AUTH_FAILURE_LIMIT', env.AUTH_FAILURE_LIMIT, 20, 0, 1_000_000),
    trustProxy: bool('TRUST_PROXY', env.TRUST_PROXY, false),
  };
}

/** Injection token for AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
