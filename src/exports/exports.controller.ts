import { Controller, Get, Header, HttpStatus, Param, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/domain-error';
import { CsvExportService } from './csv-export.service';
import { RdfExportService } from './rdf-export.service';
import type { RdfGraph } from './rdf-graph';

const RDF_TYPES = ['application/ld+json', 'text/turtle'] as const;

/** Picks JSON-LD or Turtle from the Accept header (q-values respected); undefined when neither is acceptable. */
export function negotiateRdf(accept: string | undefined): (typeof RDF_TYPES)[number] | undefined {
  if (!accept || !accept.trim()) return 'application/ld+json';
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((r) => r.q > 0 && !Number.isNaN(r.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranges) {
    if (r.type === 'application/ld+json' || r.type === 'application/json') return 'application/ld+json';
    if (r.type === 'text/turtle') return 'text/turtle';
    if (r.type === '*/*' || r.type === 'application/*') return 'application/ld+json';
    if (r.type === 'text/*') return 'text/turtle';
  }
  return undefined;
}

/** The public base of entry IRIs: this server's /api/v1/. */
function baseOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/api/v1/`;
}

@ApiTags('exports')
@Controller('exports')
export class ExportsController {
  /** The export being built; the next waits for it (see oneAtATime). */
  private building: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly rdf: RdfExportService,
    private readonly csv: CsvExportService,
  ) {}

  /**
   * Builds and sends one export at a time in this process. A whole catalogue held as an RDF graph and
   * its serialisation takes about 1 GB (Turtle) or 2 GB (JSON-LD) at 90,000 public entries (measured):
   * exports asked for together wait their turn instead of multiplying that.
   */
  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = this.building.catch(() => undefined).then(work);
    this.building = run.catch(() => undefined);
    return run;
  }

  @Get('dcat-ap')
  @ApiOperation({
    summary: 'The catalogue as DCAT-AP 3.0.1',
    description: 'Published datasets with their distributions, and system interfaces as data services. Accept: application/ld+json (default) or text/turtle; anything else is 406.',
  })
  @ApiProduces(...RDF_TYPES)
  @ApiOkResponse({ description: 'A dcat:Catalog' })
  async dcatAp(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const type = this.mustNegotiate(request);
    await this.oneAtATime(async () => this.send(reply, type, await this.rdf.dcatAp(baseOf(request))));
  }

  @Get('cpsv-ap')
  @ApiOperation({
    summary: 'The e-services as CPSV-AP 3.2.0',
    description: 'Published e-services with their competent authority, channels, required evidence, output and cost. Accept: application/ld+json (default) or text/turtle.',
  })
  @ApiProduces(...RDF_TYPES)
  @ApiOkResponse({ description: 'cpsv:PublicService resources' })
  async cpsvAp(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const type = this.mustNegotiate(request);
    await this.oneAtATime(async () => this.send(reply, type, await this.rdf.cpsvAp(baseOf(request))));
  }

  @Get(':file')
  @ApiOperation({
    summary: 'Published entries of one kind as CSV',
    description: 'systems.csv, datasets.csv or eservices.csv, in the columns of the native import mapping (`catalogue-native`), so the file imports back unchanged.',
  })
  @ApiParam({ name: 'file', enum: ['systems.csv', 'datasets.csv', 'eservices.csv'] })
  @ApiProduces('text/csv')
  @Header('cache-control', 'no-cache')
  async csvExport(@Param('file') file: string, @Res() reply: FastifyReply) {
    const kinds = { 'systems.csv': 'system', 'datasets.csv': 'dataset', 'eservices.csv': 'eservice' } as const;
    // Own names only: `constructor` or `toString` in the path were found on Object.prototype (a 500).
    const kind = Object.hasOwn(kinds, file) ? kinds[file as keyof typeof kinds] : undefined;
    if (!kind) throw new DomainError(HttpStatus.NOT_FOUND, 'EXPORT_NOT_FOUND', `No export ${JSON.stringify(file.slice(0, 100))}: try dcat-ap, cpsv-ap, systems.csv, datasets.csv or eservices.csv`);
    await this.oneAtATime(async () => {
      const text = await this.csv.export(kind);
      await reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`).send(text);
    });
  }

  private mustNegotiate(request: FastifyRequest): (typeof RDF_TYPES)[number] {
    const type = negotiateRdf(request.headers.accept);
    if (!type) {
      throw new DomainError(HttpStatus.NOT_ACCEPTABLE, 'NOT_ACCEPTABLE', `This export is available as ${RDF_TYPES.join(' or ')}; the request accepts ${JSON.stringify(request.headers.accept?.slice(0, 200))}`);
    }
    return type;
  }

  private async send(reply: FastifyReply, type: (typeof RDF_TYPES)[number], graph: RdfGraph): Promise<void> {
    reply.header('vary', 'accept');
    if (type === 'text/turtle') await reply.header('content-type', 'text/turtle; charset=utf-8').send(await graph.toTurtle());
    else await reply.header('content-type', 'application/ld+json; charset=utf-8').send(JSON.stringify(await graph.toJsonLd()));
  }
}
