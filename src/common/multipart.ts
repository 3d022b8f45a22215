import { HttpStatus } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from './domain-error';

export interface UploadedFile {
  filename: string;
  content: Buffer;
}

/** An import form: the files (every file part is named "file") and the flags, read and checked. */
export interface UploadForm {
  files: UploadedFile[];
  fields: Record<string, string>;
  dryRun: boolean;
  publish: boolean;
}

/** What one upload may hold (the multipart plugin enforces them; the refusals below name them). */
export const UPLOAD_LIMITS = { files: 20, fields: 20, parts: 40 } as const;

/** The multipart plugin's refusals, as problems that say what the limit or the rule is. */
const PLUGIN_REFUSALS: Record<string, (known: readonly string[], request: FastifyRequest) => DomainError> = {
  FST_REQ_FILE_TOO_LARGE: (_known, request) =>
    new DomainError(HttpStatus.PAYLOAD_TOO_LARGE, 'BODY_TOO_LARGE', `An uploaded file is larger than ${request.server.initialConfig.bodyLimit} bytes (BODY_LIMIT); split it, or raise BODY_LIMIT`),
  FST_FILES_LIMIT: () => new DomainError(HttpStatus.PAYLOAD_TOO_LARGE, 'TOO_MANY_FILES', `An upload holds at most ${UPLOAD_LIMITS.files} files; send the rest in another upload`),
  FST_FIELDS_LIMIT: () => new DomainError(HttpStatus.PAYLOAD_TOO_LARGE, 'TOO_MANY_FIELDS', `An upload holds at most ${UPLOAD_LIMITS.fields} fields`),
  FST_PARTS_LIMIT: () => new DomainError(HttpStatus.PAYLOAD_TOO_LARGE, 'TOO_MANY_PARTS', `An upload holds at most ${UPLOAD_LIMITS.parts} parts (files and fields)`),
  FST_PROTO_VIOLATION: (known) =>
    DomainError.badRequest('UNKNOWN_PART', `A part is named like a member of Object.prototype (__proto__, constructor, …), a reserved name; expected file, ${known.join(', ')}`),
};

const FLAG = /^(true|false|1|0|yes|no|)$/i;
const FLAG_FIELDS = ['dryRun', 'publish'];

/**
 * Reads a multipart/form-data upload of files (part "file") and text fields (`dryRun`, `publish`
 * and `extraFields`), each at most once (400 otherwise). Any other part is 400 UNKNOWN_PART; a body busboy cannot parse (no boundary,
 * a part cut short, a bad part header) is 400 MULTIPART_MALFORMED; limits stay 413.
 */
export async function readUploadForm(request: FastifyRequest, extraFields: readonly string[] = [], defaultExtension = ''): Promise<UploadForm> {
  const known = [...extraFields, ...FLAG_FIELDS];
  if (!request.isMultipart()) {
    throw new DomainError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'NOT_MULTIPART', `Send the files as multipart/form-data (parts: file, ${known.join(', ')})`);
  }
  const files: UploadedFile[] = [];
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          throw DomainError.badRequest('UNKNOWN_PART', part.fieldname ? `Unknown file part ${JSON.stringify(part.fieldname)}; send files as "file"` : 'A file part without a name; send files as "file"');
        }
        const content = await part.toBuffer();
        files.push({ filename: part.filename || `file${files.length + 1}${defaultExtension}`, content });
      } else {
        if (part.fieldname === 'file') {
          // A part without a filename comes as a text field (curl -F 'file=<x.csv' sends one).
          throw DomainError.badRequest('UNKNOWN_PART', 'The part "file" has no filename, so it came as a text field; send each file as a file part with its filename (curl -F file=@catalogue.csv)');
        }
        if (!known.includes(part.fieldname)) throw DomainError.badRequest('UNKNOWN_PART', `Unknown field ${JSON.stringify(part.fieldname)}; expected ${known.join(', ')}`);
        // Two values (dryRun=true and dryRun=false) are ambiguous: refused, as repeated query parameters are.
        if (part.fieldname in fields) throw DomainError.validation([{ field: part.fieldname, message: `${part.fieldname} must be a single value, given once` }]);
        fields[part.fieldname] = String(part.value ?? '');
      }
    }
  } catch (error) {
    const refusal = PLUGIN_REFUSALS[String((error as { code?: unknown } | null)?.code)];
    throw refusal ? refusal(known, request) : malformedMultipart(error);
  }
  for (const flag of FLAG_FIELDS) {
    if (fields[flag] !== undefined && !FLAG.test(fields[flag])) throw DomainError.validation([{ field: flag, message: `${flag} must be true or false` }]);
  }
  const on = (flag: string) => /^(true|1|yes)$/i.test(fields[flag] ?? '');
  return { files, fields, dryRun: on('dryRun'), publish: on('publish') };
}

/**
 * busboy reports a body it cannot parse with a plain Error ("Multipart: Boundary not found", "Part
 * terminated early", "Unexpected end of form"); a file part whose stream ends with the request is
 * ERR_STREAM_PREMATURE_CLOSE (which of the two comes first depends on timing). @fastify/multipart's
 * own errors (limits) carry a statusCode and keep it; anything else is a bug and stays a 500.
 */
function malformedMultipart(error: unknown): unknown {
  // Duck-typed: Node's stream errors come from another realm than busboy's under a test runner's VM.
  const e = error as { name?: unknown; message?: unknown; code?: unknown; statusCode?: unknown } | null;
  if (error instanceof DomainError || !e || typeof e.message !== 'string' || e.statusCode !== undefined) return error;
  const parseError = (e.name === 'Error' && e.code === undefined) || e.code === 'ERR_STREAM_PREMATURE_CLOSE';
  return parseError ? DomainError.badRequest('MULTIPART_MALFORMED', `The multipart/form-data body cannot be read: ${e.message}`) : error;
}
