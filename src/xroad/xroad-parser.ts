import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError } from '../common/domain-error';
import { decodeUtf8File } from '../common/text';

export const NS_XROAD = 'http://x-road.eu/xsd/xroad.xsd';
export const NS_IDENTIFIERS = 'http://x-road.eu/xsd/identifiers';

export interface XRoadMember {
  instance: string;
  memberClass: string;
  memberCode: string;
  name: string;
}

export interface XRoadSubsystem {
  instance: string;
  memberClass: string;
  memberCode: string;
  subsystemCode: string;
  /** Subsystem name when the source gives one (listClients JSON). */
  name?: string;
}

export interface XRoadEndpoint {
  method: string;
  path: string;
  summary?: string;
}

export interface XRoadService extends XRoadSubsystem {
  serviceCode: string;
  serviceVersion?: string;
  /** REST, OPENAPI or WSDL. */
  serviceType?: string;
  endpoints: XRoadEndpoint[];
}

export interface OpenApiDocument {
  title?: string;
  description?: string;
  baseUrl?: string;
  endpoints: XRoadEndpoint[];
}

/** One source document: what it is, and the items found in it (in file order). */
export type XRoadDocument =
  | { type: 'global-conf'; instance: string; members: XRoadMember[]; subsystems: XRoadSubsystem[] }
  | { type: 'list-clients'; instance: string; members: XRoadMember[]; subsystems: XRoadSubsystem[] }
  | { type: 'list-methods'; services: XRoadService[] }
  | { type: 'openapi'; openapi: OpenApiDocument };

/** An XML element with its namespace URI resolved; attributes keyed `{uri}local` (or `local` when unprefixed). */
interface XmlNode {
  name: string;
  ns: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlNode[];
}

/**
 * How deep elements may nest. X-Road metadata nests a handful of levels; the limit keeps the parser
 * (and the recursive reading below) from being walked into the ground by a hostile file.
 */
export const XML_MAX_DEPTH = 100;

const parser = new XMLParser({
  maxNestedTags: XML_MAX_DEPTH,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#',
  preserveOrder: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
});

/** Characters XML 1.0 never allows, raw (strict UTF-8 decoding has already ruled out lone surrogates). */
const XML_FORBIDDEN_RAW = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** A character reference, or a CDATA section or comment (in which `&#…;` is plain text, not a reference). */
const XML_CHAR_REFERENCE = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|&#(x[0-9a-fA-F]+|[0-9]+);/g;

/** XML 1.0 Char: tab, line feed, carriage return, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF. */
function isXmlChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

/**
 * Refuses characters XML 1.0 forbids, raw or as character references (`&#0;`, `&#xD800;`), which the
 * parser lets through or drops silently; a NUL would otherwise reach the database. Names the line and
 * the code point, never the text around it.
 */
function assertXmlChars(text: string, file: string): void {
  const line = (index: number) => text.slice(0, index).split('\n').length;
  const raw = XML_FORBIDDEN_RAW.exec(text);
  if (raw) {
    throw DomainError.badRequest('XROAD_XML_MALFORMED', `${file} is not well-formed XML (line ${line(raw.index)}): the character U+${raw[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`);
  }
  for (const m of text.matchAll(XML_CHAR_REFERENCE)) {
    if (m[1] === undefined) continue;
    const code = m[1].startsWith('x') ? parseInt(m[1].slice(1), 16) : parseInt(m[1], 10);
    if (!isXmlChar(code)) throw DomainError.badRequest('XROAD_XML_MALFORMED', `${file} is not well-formed XML (line ${line(m.index)}): the character reference ${m[0].slice(0, 20)} names a character XML does not allow`);
  }
}

/**
 * Parses XML into elements whose names carry their namespace URI (resolved from xmlns declarations
 * in scope), so `ns2:member` and `xroad:member` are the same element when they bind the same URI.
 */
export function parseXml(text: string, file: string): XmlNode {
  // X-Road metadata has no DTD; refusing one rules out entity expansion attacks.
  if (/<!DOCTYPE/i.test(text)) throw DomainError.badRequest('XROAD_XML_DOCTYPE', `${file} declares a DOCTYPE, which X-Road metadata never does: refused`);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw DomainError.badRequest('XROAD_XML_MALFORMED', `${file} is not well-formed XML (line ${valid.err.line}): ${valid.err.msg}`);
  // After the validator, so that every CDATA section and comment is closed (the scan stays linear).
  assertXmlChars(text, file);
  let ordered: unknown[];
  try {
    ordered = parser.parse(text) as unknown[];
  } catch (err) {
    // The validator passed, so what the parser refuses is a limit (fast-xml-parser gives no error codes).
    const message = (err as Error).message;
    if (/nested tags/i.test(message)) throw DomainError.badRequest('XROAD_XML_TOO_DEEP', `${file} nests elements more than ${XML_MAX_DEPTH} levels deep, which X-Road metadata never does: refused`);
    throw DomainError.badRequest('XROAD_XML_MALFORMED', `${file} could not be read as XML: ${message}`);
  }
  const build = (raw: Record<string, unknown>, scope: Record<string, string>): XmlNode | undefined => {
    const tag = Object.keys(raw).find((k) => k !== ':@');
    if (!tag || tag === '#' || tag.startsWith('?')) return undefined;
    const attrsRaw = (raw[':@'] ?? {}) as Record<string, string>;
    const local: Record<string, string> = { ...scope };
    for (const [k, v] of Object.entries(attrsRaw)) {
      if (k === 'xmlns') local[''] = v;
      else if (k.startsWith('xmlns:')) local[k.slice(6)] = v;
    }
    const [prefix, name] = tag.includes(':') ? tag.split(':', 2) : ['', tag];
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(attrsRaw)) {
      if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
      // Unprefixed attributes are in no namespace; prefixed ones in their prefix's namespace.
      const [ap, an] = k.includes(':') ? k.split(':', 2) : ['', k];
      attrs[ap ? `{${local[ap] ?? ap}}${an}` : an] = String(v);
    }
    const node: XmlNode = { name, ns: local[prefix] ?? '', attrs, text: '', children: [] };
    for (const child of (raw[tag] as Record<string, unknown>[]) ?? []) {
      if ('#' in child && Object.keys(child).length === 1) node.text += String(child['#']);
      else {
        const c = build(child, local);
        if (c) node.children.push(c);
      }
    }
    return node;
  };
  for (const item of ordered) {
    const root = build(item as Record<string, unknown>, {});
    if (root) return root;
  }
  throw DomainError.badRequest('XROAD_XML_MALFORMED', `${file} has no root element`);
}

const kids = (n: XmlNode, name: string, ns: string) => n.children.filter((c) => c.name === name && c.ns === ns);
const kid = (n: XmlNode, name: string, ns: string) => kids(n, name, ns)[0];
const textOf = (n: XmlNode | undefined) => n?.text.trim() ?? '';

/** Global configuration shared parameters: members (with their class) and their subsystems. */
function readSharedParams(root: XmlNode, file: string): XRoadDocument {
  // The children of conf are unqualified (the schema's elementFormDefault), so they are in no namespace.
  const instance = textOf(kid(root, 'instanceIdentifier', ''));
  if (!instance) throw DomainError.badRequest('XROAD_NO_INSTANCE', `${file}: the shared parameters name no instanceIdentifier`);
  const members: XRoadMember[] = [];
  const subsystems: XRoadSubsystem[] = [];
  for (const m of kids(root, 'member', '')) {
    const memberClass = textOf(kid(kid(m, 'memberClass', '') ?? m, 'code', ''));
    const member = { instance, memberClass, memberCode: textOf(kid(m, 'memberCode', '')), name: textOf(kid(m, 'name', '')) };
    members.push(member);
    for (const s of kids(m, 'subsystem', '')) {
      subsystems.push({ instance, memberClass, memberCode: member.memberCode, subsystemCode: textOf(kid(s, 'subsystemCode', '')) });
    }
  }
  return { type: 'global-conf', instance, members, subsystems };
}

/** listClients (XML): members and subsystems of one instance. */
function readClientListXml(root: XmlNode, file: string): XRoadDocument {
  const members: XRoadMember[] = [];
  const subsystems: XRoadSubsystem[] = [];
  const instances = new Set<string>();
  for (const m of kids(root, 'member', NS_XROAD)) {
    const id = kid(m, 'id', NS_XROAD);
    if (!id) continue;
    const objectType = id.attrs[`{${NS_IDENTIFIERS}}objectType`] ?? id.attrs.objectType ?? '';
    const part = (n: string) => textOf(kid(id, n, NS_IDENTIFIERS));
    const base = { instance: part('xRoadInstance'), memberClass: part('memberClass'), memberCode: part('memberCode') };
    instances.add(base.instance);
    const name = textOf(kid(m, 'name', NS_XROAD));
    if (objectType === 'SUBSYSTEM') subsystems.push({ ...base, subsystemCode: part('subsystemCode'), name: undefined });
    else members.push({ ...base, name });
    if (objectType === 'SUBSYSTEM' && !members.some((x) => x.instance === base.instance && x.memberClass === base.memberClass && x.memberCode === base.memberCode)) {
      // A subsystem listed before (or without) its member still names the member.
      members.push({ ...base, name });
    }
  }
  return { type: 'list-clients', instance: single(instances, file), members: dedupeMembers(members), subsystems };
}

/** An item of a JSON list as an object: anything else (null, a number, a string) reads as an empty item, reported like any incomplete one. */
function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function readClientListJson(doc: { member: unknown[] }, file: string): XRoadDocument {
  const members: XRoadMember[] = [];
  const subsystems: XRoadSubsystem[] = [];
  const instances = new Set<string>();
  for (const raw of doc.member) {
    const m = record(raw) as { id?: unknown; name?: string; subsystem_name?: string };
    const id = record(m.id) as Record<string, string>;
    const base = { instance: String(id.xroad_instance ?? ''), memberClass: String(id.member_class ?? ''), memberCode: String(id.member_code ?? '') };
    instances.add(base.instance);
    members.push({ ...base, name: String(m.name ?? '') });
    if (id.object_type === 'SUBSYSTEM') subsystems.push({ ...base, subsystemCode: String(id.subsystem_code ?? ''), name: m.subsystem_name ? String(m.subsystem_name) : undefined });
  }
  return { type: 'list-clients', instance: single(instances, file), members: dedupeMembers(members), subsystems };
}

function readListMethods(doc: { service: unknown[] }): XRoadDocument {
  const services = doc.service.map((raw) => {
    const s = record(raw);
    const endpoints = Array.isArray(s.endpoint_list) ? s.endpoint_list.map(record) : [];
    return {
      instance: String(s.xroad_instance ?? ''),
      memberClass: String(s.member_class ?? ''),
      memberCode: String(s.member_code ?? ''),
      subsystemCode: String(s.subsystem_code ?? ''),
      serviceCode: String(s.service_code ?? ''),
      serviceVersion: s.service_version ? String(s.service_version) : undefined,
      serviceType: s.service_type ? String(s.service_type) : undefined,
      endpoints: endpoints.map((e) => ({ method: String(e.method ?? '*').toUpperCase(), path: String(e.path ?? '') })),
    };
  });
  return { type: 'list-methods', services };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function readOpenApi(doc: Record<string, unknown>): XRoadDocument {
  const info = (doc.info ?? {}) as Record<string, unknown>;
  const servers = Array.isArray(doc.servers) ? (doc.servers as { url?: string }[]) : [];
  const baseUrl = servers.map((s) => s.url).find((u) => typeof u === 'string' && /^https?:\/\//i.test(u));
  const endpoints: XRoadEndpoint[] = [];
  for (const [path, ops] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, { summary?: string }>>)) {
    for (const [method, op] of Object.entries(ops ?? {})) {
      if (HTTP_METHODS.includes(method)) endpoints.push({ method: method.toUpperCase(), path, ...(op?.summary ? { summary: String(op.summary) } : {}) });
    }
  }
  return {
    type: 'openapi',
    openapi: {
      title: typeof info.title === 'string' ? info.title : undefined,
      description: typeof info.description === 'string' ? info.description : undefined,
      baseUrl,
      endpoints,
    },
  };
}

function single(instances: Set<string>, file: string): string {
  const list = [...instances].filter(Boolean);
  if (list.length !== 1) throw DomainError.badRequest('XROAD_INSTANCES', `${file}: expected clients of one X-Road instance, found ${list.length ? list.join(', ') : 'none'}`);
  return list[0];
}

function dedupeMembers(members: XRoadMember[]): XRoadMember[] {
  const seen = new Map<string, XRoadMember>();
  for (const m of members) {
    const k = JSON.stringify([m.instance, m.memberClass, m.memberCode]);
    if (!seen.has(k) || (!seen.get(k)!.name && m.name)) seen.set(k, m);
  }
  return [...seen.values()];
}

/** Recognises and reads one X-Road metadata document (shared-params, listClients, listMethods, getOpenAPI). */
export function parseXRoadDocument(file: string, content: Buffer): XRoadDocument {
  // Strictly: read leniently, a bad byte became U+FFFD in stored names and in error messages.
  const text = decodeUtf8File({ filename: file, content }, 'XROAD_NOT_UTF8');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<')) {
    const root = parseXml(text, file);
    if (root.name === 'conf' && root.ns === NS_XROAD) return readSharedParams(root, file);
    if (root.name === 'clientList' && root.ns === NS_XROAD) return readClientListXml(root, file);
    throw DomainError.badRequest('XROAD_UNRECOGNISED', `${file}: the root element {${root.ns}}${root.name} is neither shared parameters (conf) nor a listClients response (clientList)`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw DomainError.badRequest('XROAD_UNRECOGNISED', `${file} is neither XML nor JSON: ${(err as Error).message}`);
  }
  const obj = (doc ?? {}) as Record<string, unknown>;
  if (Array.isArray(obj.member)) return readClientListJson(obj as { member: unknown[] }, file);
  if (Array.isArray(obj.service)) return readListMethods(obj as { service: unknown[] });
  if (typeof obj.openapi === 'string' || typeof obj.swagger === 'string') return readOpenApi(obj);
  throw DomainError.badRequest('XROAD_UNRECOGNISED', `${file}: a JSON document must be a listClients ({"member": [...]}), listMethods ({"service": [...]}) or getOpenAPI (an OpenAPI document) response`);
}
