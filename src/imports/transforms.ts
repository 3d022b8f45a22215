import { assertJsonDepth, MAX_JSON_DEPTH } from '../common/validation';

/**
 * The transforms a mapping may apply to a cell. Each returns the value for the field, or a warning
 * (the row is still imported; the raw text is kept in the entry's notes), never an exception.
 */
export interface TransformResult {
  value?: unknown;
  warning?: string;
  /** The warning is about a value that was still used (so nothing needs keeping in notes). */
  keep?: boolean;
}

export type Transform = (raw: string[], options: Record<string, unknown>) => TransformResult;

const URL_RE = /^https?:\/\/[^\s/$.?#][^\s]*$/i;
const HOST_RE = /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/[^\s]*)?$/i;
const EMAIL_RE = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function isoDate(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? text : undefined;
}

export const TRANSFORMS = {
  /** Trimmed text (the default). */
  text: ([v]) => ({ value: v }),
  /** Text whose literal "\n" sequences are line breaks (the UK catalogue writes them so). */
  unescape: ([v]) => ({ value: v.replace(/\\r\\n|\\n/g, '\n').replace(/\\t/g, '\t') }),
  lower: ([v]) => ({ value: v.toLowerCase() }),
  upper: ([v]) => ({ value: v.toUpperCase() }),
  /** An http(s) URL. A bare host name ("www.x.gov.uk/a") gets https:// with a warning; anything else is a warning. */
  url: ([v]) => {
    if (URL_RE.test(v)) return { value: v };
    if (HOST_RE.test(v)) return { value: `https://${v}`, warning: `no scheme in ${JSON.stringify(v)}: assumed https://`, keep: true };
    return { warning: `not a web address: ${JSON.stringify(v)}` };
  },
  /** A calendar date YYYY-MM-DD; anything else ("in service", "2023-31-01") is a warning. */
  date: ([v]) => (isoDate(v) ? { value: v } : { warning: `not a date (YYYY-MM-DD): ${JSON.stringify(v)}` }),
  /** true/false, yes/no, 1/0. */
  boolean: ([v]) => {
    const t = v.toLowerCase();
    if (['true', 'yes', 'y', '1', 'oui'].includes(t)) return { value: true };
    if (['false', 'no', 'n', '0', 'non'].includes(t)) return { value: false };
    return { warning: `not a yes/no value: ${JSON.stringify(v)}` };
  },
  /** A list split on options.separator (default ","). */
  list: ([v], o) => ({ value: v.split(String(o.separator ?? ',')).map((s) => s.trim()).filter(Boolean) }),
  /** A JSON value (items and objects in the native CSV columns). */
  json: ([v]) => {
    try {
      assertJsonDepth(v);
    } catch {
      return { warning: `JSON nested more than ${MAX_JSON_DEPTH} levels deep` };
    }
    try {
      return { value: JSON.parse(v) };
    } catch (err) {
      return { warning: `not valid JSON: ${(err as Error).message}` };
    }
  },
  /**
   * A contact from "Team <team@x.gov>", a bare e-mail address, a web page, or a name.
   * options.role names the contact's role (default "contact").
   */
  contact: ([v], o) => {
    const role = String(o.role ?? 'contact');
    const named = /^(.*?)\s*<\s*([^<>\s]+)\s*>\s*$/.exec(v);
    if (named && EMAIL_RE.test(named[2])) {
      const name = named[1].replace(/[\s-]+$/, '').trim();
      return { value: { role, ...(name ? { name } : {}), email: named[2] } };
    }
    if (EMAIL_RE.test(v)) return { value: { role, email: v } };
    if (URL_RE.test(v)) return { value: { role, url: v } };
    return { value: { role, name: v } };
  },
  /**
   * An operational status from a start and an end date column:
   * end date passed → options.ended; start date passed → options.active; start date ahead → options.future;
   * no usable date → options.default. Unreadable dates are warnings (the date transform reports them).
   */
  statusFromDates: ([start, end], o) => {
    const today = new Date().toISOString().slice(0, 10);
    const s = start ? isoDate(start) : undefined;
    const e = end ? isoDate(end) : undefined;
    if (e && e <= today) return { value: o.ended };
    if (s && s <= today) return { value: o.active };
    if (s && s > today) return { value: o.future };
    return { value: o.default };
  },
} satisfies Record<string, Transform>;

export type TransformName = keyof typeof TRANSFORMS;

/**
 * What each transform gives, for the mapping check (a field must be able to hold it): one value, a
 * list of values, an object, or undefined when it may be anything (JSON; the statuses in options).
 */
export const TRANSFORM_SHAPES: Record<TransformName, 'scalar' | 'scalars' | 'object' | undefined> = {
  text: 'scalar',
  unescape: 'scalar',
  lower: 'scalar',
  upper: 'scalar',
  url: 'scalar',
  date: 'scalar',
  boolean: 'scalar',
  list: 'scalars',
  json: undefined,
  contact: 'object',
  statusFromDates: undefined,
};
