import { Inject, Injectable } from '@nestjs/common';
import type { CreateBuildReportDto } from '#libs/contracts/src/commons/dto.js';
import type { BuildReportMessage } from '#libs/contracts/src/commons/messages.js';
import type { BuildReportView } from '#libs/contracts/src/commons/views.js';
import {
  type Actor,
  type AuthzAnswer,
  authzPattern,
  type AuthzQuery,
  forbidden,
  notFound,
  unauthorized,
} from '#libs/contracts/src/index.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { versionParam } from '../../content-problems.js';
import { type BuildReportRecord, DESIGNS_REPOSITORY, type DesignsRepository, type StoredProductionReports } from '../../designs.repository.js';

export class UnknownDesignVersionError extends Error {
  constructor(readonly designVersionId: string) {
    super(`design version ${designVersionId} does not exist`);
  }
}

export function buildReportView(r: BuildReportRecord): BuildReportView {
  return {
    id: r.id,
    designVersionId: r.designVersionId,
    fabUnitId: r.fabUnitId,
    success: r.success,
    quantity: r.quantity,
    notes: r.notes,
    photoUrl: r.photoUrl,
    source: r.source,
    reportedAt: r.reportedAt.toISOString(),
  };
}

/**
 * Build reports: how the commons learns a version is manufacturable. Fab operators report
 * over HTTP (fabrication decides who operates which unit); production reports completed jobs
 * through BullMQ, where a redelivered message must count once (unique source job id).
 */
@Injectable()
export class ReportBuildUseCase {
  constructor(
    @Inject(DESIGNS_REPOSITORY) private readonly designs: DesignsRepository,
    @Inject(serviceClientToken('fabrication')) private readonly fabrication: ServiceClient,
  ) {}

  async fromOperator(actor: Actor | null, designRef: string, version: string, body: CreateBuildReportDto): Promise<BuildReportView> {
    if (!actor) throw unauthorized();
    const design = await this.designs.findDesign(designRef);
    if (!design) throw notFound('design', designRef);
    const v = await this.designs.findVersion(design.id, versionParam(version));
    if (!v) throw notFound('version', `${design.slug}@${version}`);

    const query: AuthzQuery = { resource: 'fab-unit', role: 'operator', id: body.fabUnitId, actor };
    const answer = await this.fabrication.send<AuthzAnswer>(authzPattern('fabrication'), actor, query);
    if (answer === 'not_found') throw notFound('fab-unit', body.fabUnitId);
    if (answer !== 'allowed' && !actor.platformAdmin) {
      throw forbidden(`Only operators of fab unit ${body.fabUnitId} report its builds`);
    }

    const stored = await this.designs.insertBuildReport({
      designVersionId: v.id,
      fabUnitId: body.fabUnitId,
      success: body.success,
      quantity: body.quantity,
      notes: body.notes ?? null,
      photoUrl: body.photoUrl ?? null,
      source: 'http',
      sourceJobId: null,
      reportedBy: actor.accountId,
      apiKeyId: actor.kind === 'machine' ? actor.apiKeyId : null,
      reportedAt: null,
    });
    return buildReportView(stored!);
  }

  /** True when stored, false when this job's report was stored before (nothing written). */
  async fromProduction(message: BuildReportMessage): Promise<boolean> {
    const v = await this.designs.findVersionById(message.designVersionId);
    if (!v) throw new UnknownDesignVersionError(message.designVersionId);
    const stored = await this.designs.insertBuildReport({
      designVersionId: v.id,
      fabUnitId: message.fabUnitId,
      success: message.success,
      quantity: message.quantity,
      notes: message.notes ?? null,
      photoUrl: null,
      source: 'production',
      sourceJobId: message.sourceJobId,
      reportedBy: null,
      apiKeyId: null,
      reportedAt: new Date(message.reportedAt),
    });
    return stored !== null;
  }

  /**
   * A batch of production's reports, stored together. A report of an unknown version does not
   * hold back the others: it is left out and named in the answer (the caller decides what a
   * never-storable report means); a report stored before writes nothing.
   */
  async fromProductionBatch(reports: readonly BuildReportMessage[]): Promise<StoredProductionReports> {
    return this.designs.insertProductionReports(
      reports.map((r) => ({
        sourceJobId: r.sourceJobId,
        designVersionId: r.designVersionId,
        fabUnitId: r.fabUnitId,
        success: r.success,
        quantity: r.quantity,
        notes: r.notes ?? null,
        reportedAt: new Date(r.reportedAt),
      })),
    );
  }
}
