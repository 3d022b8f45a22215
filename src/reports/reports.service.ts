import { Injectable } from '@nestjs/common';
import type { Viewer } from '../auth/principal';
import { RECOMMENDED_FIELDS } from '../catalogue/quality';
import { OnceOnlyItemDto, OnceOnlyReportDto, QualityQueryDto, QualityReportDto, ReportInterfaceDto } from './reports.dto';
import { ReportsRepository } from './reports.repository';

@Injectable()
export class ReportsService {
  constructor(private readonly reports: ReportsRepository) {}

  /**
   * The once-only report: evidence e-services still ask the applicant for although a register holds it,
   * with the register, its owner and the interfaces that already expose it. Cheapest wins first.
   */
  async onceOnly(viewer: Viewer, query: { owner?: string; exposed?: string }): Promise<OnceOnlyReportDto> {
    const rows = await this.reports.onceOnly(viewer, { owner: query.owner });
    const exposures = await this.reports.exposures([...new Set(rows.map((r) => r.dataset_id))], viewer);
    const byDataset = new Map<string, ReportInterfaceDto[]>();
    for (const x of exposures) {
      const i = x.interface as { id?: string; name?: string; type?: string; xroad?: ReportInterfaceDto['xroad'] };
      const list = byDataset.get(x.dataset_id) ?? [];
      if (!list.some((l) => l.id === i.id && l.system.id === x.system_id)) {
        list.push({ system: { id: x.system_id, code: x.system_code, name: x.system_name }, id: i.id, name: String(i.name ?? ''), type: String(i.type ?? 'other'), xroad: i.xroad ?? null });
      }
      byDataset.set(x.dataset_id, list);
    }
    let items: OnceOnlyItemDto[] = rows.map((r) => {
      const interfaces = byDataset.get(r.dataset_id) ?? [];
      return {
        eservice: { id: r.eservice_id, code: r.eservice_code, name: r.eservice_name, owner: r.eservice_owner_code ? { code: r.eservice_owner_code, name: r.eservice_owner_name ?? '' } : null },
        evidence: { id: r.evidence.id, name: r.evidence.name, description: r.evidence.description },
        register: {
          id: r.dataset_id,
          code: r.dataset_code,
          name: r.dataset_name,
          owner: r.dataset_owner_code ? { code: r.dataset_owner_code, name: r.dataset_owner_name ?? '' } : null,
          authoritativeSource: r.authoritative,
        },
        exposed: interfaces.length > 0,
        exposedOverXRoad: interfaces.some((i) => i.xroad),
        interfaces,
      };
    });
    if (query.exposed !== undefined) items = items.filter((i) => i.exposed === (query.exposed === 'true'));
    const rank = (i: OnceOnlyItemDto) => (i.exposedOverXRoad ? 0 : i.exposed ? 1 : 2);
    items.sort((a, b) => rank(a) - rank(b) || a.eservice.code.localeCompare(b.eservice.code) || a.register.code.localeCompare(b.register.code));
    return {
      items,
      total: items.length,
      summary: {
        eservices: new Set(items.map((i) => i.eservice.id)).size,
        evidence: items.length,
        exposed: items.filter((i) => i.exposed).length,
        registers: new Set(items.map((i) => i.register.id)).size,
      },
    };
  }

  async quality(viewer: Viewer, query: QualityQueryDto): Promise<QualityReportDto> {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    const rows = await this.reports.quality(viewer, { ...query, limit, offset });
    return {
      items: rows.map((r) => ({ id: r.id, kind: r.kind, code: r.code, name: r.name, lifecycleStatus: r.lifecycle_status, owner: r.owner_code, score: r.quality_score, missing: r.quality_missing })),
      total: (rows[0] as unknown as { total?: number })?.total ?? 0,
      limit,
      offset,
      recommendedFields: RECOMMENDED_FIELDS,
    };
  }
}
