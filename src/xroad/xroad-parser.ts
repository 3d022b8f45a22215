import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError, FieldError } from '../common/domain-error';
import { decodeUtf8File, isJsonObject } from '../common/text';
import { jsonInputErrors } from '../common/validation';

export const NS_XROAD = 'http://x-road.eu/xsd/xroad.xsd';
export const NS_IDENTIFIERS = 'http://x-road.eu/xsd/identifiers';

export interface XRoadMember {
  instance: string;
  memberClass: string;
  memberCode: string;
  name: string;
  /** Why the item (of a JSON file) cannot be imported as given: it fails alone, with these field errors. */
  problems?: FieldError[];
}

export interface XRoadSubsystem {
  instance: string;
  memberClass: string;
  memberCode: string;
  subsystemCode: string;
  /** Subsystem name when the source gives one (listClients JSON). */
  name?: string;
  /** Why the item (of a JSON file) cannot be imported as given: it fails alone, with these field errors. */
  problems?: FieldError[];
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
  /** Why the document cannot be imported as given: it fails alone, with these field errors. */
  problems?: FieldError[];
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
  // The five predefined entities and character references (&#233;, &#xE9;) are decoded; any other
  // entity has been refused as malformed before parsing, so no HTML entity is ever read here.
  processEntities: true,
  htmlEntities: true,
});

/** Characters XML 1.0 never allows, raw (strict UTF-8 decoding has already ruled out lone surrogates). */
const XML_FORBIDDEN_RAW = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * A character reference (group 1), an entity reference (group 2) or an `&` that starts neither, or a
 * CDATA section, comment or processing instruction (in which `&` is plain text, not a reference).
 */
const XML_REFERENCE = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|&#(x[0-9a-fA-F]+|[0-9]+);|&([A-Za-z_][\w.-]*;)?/g;

/**
 * A CDATA section, comment or processing instruction (skipped), or a start tag (whatever letter its
 * name starts with: XML names may start with any Unicode letter) with its attributes (group 1). Run after the validator, which has checked the tags' shape but not what their values hold.
 */
const XML_START_TAG = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(?![!?/])[^\s/>]+((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/g;

/** The entities XML defines without a DTD (and a DOCTYPE is refused, so there are no others). */
const XML_PREDEFINED_ENTITIES = new Set(['amp;', 'lt;', 'gt;', 'quot;', 'apos;']);

/** XML 1.0 Char: tab, line feed, carriage return, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF. */
function isXmlChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

/**
 * Refuses characters XML 1.0 forbids, raw or as character references (`&#0;`, `&#xD800;`), which the
 * parser lets through or drops silently; a NUL would otherwise reach the database. Also refuses an
 * entity the document does not define (`&nbsp;`, an HTML name), a bare `&` or a raw `<` in an
 * attribute value, which the parser kept as literal text: XML requires a well-formedness error. Names the line and the code point or
 * reference, never the text around it.
 */
function assertXmlChars(text: string, file: string): void {
  const line = (index: number) => text.slice(0, index).split('\n').length;
  const raw = XML_FORBIDDEN_RAW.exec(text);
  if (raw) {
    throw DomainError.badRequest('XROAD_XML_MALFORMED', `${file} is not well-formed XML (line ${line(raw.index)}): the character U+${raw[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`);
  }
  for (const m of text.matchAll(XML_REFERENCE)) {
    if (!m[0].startsWith('&')) continue;
    if (m[1] === undefined) {
      if (m[2] !== undefined && XML_PREDEFINED_ENTITIES.has(m[2])) continue;
      const what = m[2] === undefined ? 'an & that starts no entity or character reference (write &amp;)' : `the entity reference &${m[2].slice(0, 20)} names no entity XML defines (only &amp; &lt; &gt; &quot; &apos;)`;
      throw DomainError.badRequest('XROAD_XML_MALFORMED', `${file} is not well-formed XML (line ${line(m.index)}): ${what}`);
    }
    const code = m[1].startsWith('x') ? parseInt(m[1].slice(1), 16) : parseInt(m[1], 10);
    if (!isXmlChar(code)) throw DomainError.badRequest('XROAD_XML_MALFORMED', `${file} is not well-formed XML (line ${line(m.index)}): the character reference ${m[0].slice(0, 20)} names a character XML does not allow`);
  }
  // A raw < in an attribute value (XML 1.0 [10] AttValue), which the validator lets through.
  for (const m of text.matchAll(XML_START_TAG)) {
    // The line of the < itself (a start tag may span lines); the tag's name holds none.
    if (m[1]?.includes('<')) throw DomainError.badRequest('XROAD_XML_MALFORMED', `${file} is not well-formed XML (line ${line(m.index + m[0].indexOf('<', 1))}): an attribute value holds a raw < (write &lt;)`);
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
  return isJsonObject(value) ? value : {};
}

/**
 * Reads the text fields of one JSON item. A field that is absent (or null) reads as '' (reported
 * like any incomplete item); one that is not text (a number, an object) is a problem of the item,
 * never turned into text ("[object Object]", "12345"). `problems` starts with the item's reserved
 * keys (jsonInputErrors), so that the item fails alone; its text is checked when it is imported,
 * under the catalogue's field names.
 */
function itemReader(raw: unknown): { text: (value: unknown, field: string) => string; problems: FieldError[] } {
  const problems = jsonInputErrors(raw, '', { text: false });
  const text = (value: unknown, field: string): string => {
    if (value === undefined || value === null || typeof value === 'string') return value ?? '';
    problems.push({ field, message: `${field} must be text, not ${Array.isArray(value) ? 'a list' : typeof value}` });
    return '';
  };
  return { text, problems };
}

/** `problems` when there are any (so that an item without any has no such key). */
const withProblems = (problems: FieldError[]) => (problems.length ? { problems } : {});

function readClientListJson(doc: { member: unknown[] }, file: string): XRoadDocument {
  const members: XRoadMember[] = [];
  const subsystems: XRoadSubsystem[] = [];
  const instances = new Set<string>();
  for (const raw of doc.member) {
    const { text, problems } = itemReader(raw);
    const m = record(raw);
    const id = record(m.id);
    const base = { instance: text(id.xroad_instance, 'id.xroad_instance'), memberClass: text(id.member_class, 'id.member_class'), memberCode: text(id.member_code, 'id.member_code') };
    const name = text(m.name, 'name');
    const subsystem = id.object_type === 'SUBSYSTEM' ? { subsystemCode: text(id.subsystem_code, 'id.subsystem_code'), name: text(m.subsystem_name, 'subsystem_name') || undefined } : undefined;
    instances.add(base.instance);
    members.push({ ...base, name, ...withProblems(problems) });
    if (subsystem) subsystems.push({ ...base, ...subsystem, ...withProblems(problems) });
  }
  return { type: 'list-clients', instance: single(instances, file), members: dedupeMembers(members), subsystems };
}

function readListMethods(doc: { service: unknown[] }): XRoadDocument {
  const services = doc.service.map((raw): XRoadService => {
    const { text, problems } = itemReader(raw);
    const s = record(raw);
    // Read as the other fields are: a value of the wrong shape is a problem of the service, never read as "no endpoints".
    const list = s.endpoint_list;
    if (list !== undefined && list !== null && !Array.isArray(list)) problems.push({ field: 'endpoint_list', message: `endpoint_list must be a list of endpoints, not ${typeof list}` });
    const items = Array.isArray(list) ? list : [];
    items.forEach((e, i) => {
      if (!isJsonObject(e)) problems.push({ field: `endpoint_list.${i}`, message: `endpoint_list.${i} must be an object { method, path }, not ${e === null ? 'null' : Array.isArray(e) ? 'a list' : typeof e}` });
    });
    const endpoints = items.map(record);
    return {
      instance: text(s.xroad_instance, 'xroad_instance'),
      memberClass: text(s.member_class, 'member_class'),
      memberCode: text(s.member_code, 'member_code'),
      subsystemCode: text(s.subsystem_code, 'subsystem_code'),
      serviceCode: text(s.service_code, 'service_code'),
      serviceVersion: text(s.service_version, 'service_version') || undefined,
      serviceType: text(s.service_type, 'service_type') || undefined,
      endpoints: endpoints.map((e, i) => ({ method: (text(e.method, `endpoint_list.${i}.method`) || '*').toUpperCase(), path: text(e.path, `endpoint_list.${i}.path`) })),
      ...withProblems(problems),
    };
  });
  return { type: 'list-methods', services };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function readOpenApi(doc: Record<string, unknown>): XRoadDocument {
  // Only what has the shape OpenAPI gives it is read: a null server, a non-object path item or a summary
  // that is not text is passed over (it was a 500, or stored as "[object Object]").
  const info = record(doc.info);
  const servers = Array.isArray(doc.servers) ? doc.servers.filter(isJsonObject) : [];
  const baseUrl = servers.map((s) => s.url).find((u): u is string => typeof u === 'string' && /^https?:\/\//i.test(u));
  const endpoints: XRoadEndpoint[] = [];
  for (const [path, ops] of Object.entries(record(doc.paths))) {
    for (const [method, op] of Object.entries(record(ops))) {
      const summary = isJsonObject(op) && typeof op.summary === 'string' && op.summary ? op.summary : undefined;
      if (HTTP_METHODS.includes(method)) endpoints.push({ method: method.toUpperCase(), path, ...(summary ? { summary } : {}) });
    }
  }
  return {
    type: 'openapi',
    openapi: {
      title: typeof info.title === 'string' ? info.title : undefined,
      description: typeof info.description === 'string' ? info.description : undefined,
      baseUrl,
      endpoints,
      ...withProblems(jsonInputErrors(doc, '', { text: false })),
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
  if (Array.isArray(obj.member) || Array.isArray(obj.service)) {
    // Each item is checked with its own (and fails alone); what is around the items belongs to the file.
    const refused = jsonInputErrors({ ...obj, member: undefined, service: undefined }, '', { text: false });
    if (refused.length) throw DomainError.badRequest('XROAD_JSON_INVALID', `${file} cannot be imported: ${refused[0].message}`, refused);
  }
  if (Array.isArray(obj.member)) return readClientListJson(obj as { member: unknown[] }, file);
  if (Array.isArray(obj.service)) return readListMethods(obj as { service: unknown[] });
  if (typeof obj.openapi === 'string' || typeof obj.swagger === 'string') return readOpenApi(obj);
  throw DomainError.badRequest('XROAD_UNRECOGNISED', `${file}: a JSON document must be a listClients ({"member": [...]}), listMethods ({"service": [...]}) or getOpenAPI (an OpenAPI document) response`);
}
