import { Inject, Injectable } from '@nestjs/common';
import type { DesignVersionForManufacturing } from '#libs/contracts/src/commons/messages.js';
import type { DesignVersionView, DesignView, LineageView, OkhExport } from '#libs/contracts/src/commons/views.js';
import { type AuthzAnswer, type AuthzQuery, notFound } from '#libs/contracts/src/index.js';
import { toOkhLoshToml } from '../okh/okh-export.js';
import { attributionChain } from './attribution.js';
import { versionParam } from './content-problems.js';
import { designView, versionView } from './design-views.js';
import { DESIGNS_REPOSITORY, type DesignRecord, type DesignsRepository, type VersionRecord } from './designs.repository.js';

/** Versions and their lineage never change: what other services ask about them is cached. */
const MANUFACTURING_CACHE_SIZE = 2000;

/** The reads of the commons. */
@Injectable()
export class DesignQueries {
  private readonly manufacturing = new Map<string, DesignVersionForManufacturing>();

  constructor(@Inject(DESIGNS_REPOSITORY) private readonly designs: DesignsRepository) {}

  async design(ref: string): Promise<DesignView> {
    return designView(this.designs, await this.designOrThrow(ref));
  }

  async version(ref: string, version: string): Promise<DesignVersionView> {
    return versionView(this.designs, await this.versionOrThrow(ref, version));
  }

  async lineage(ref: string): Promise<LineageView> {
    const design = await this.designOrThrow(ref);
    const { ancestors, descendants } = await this.designs.lineage(design.id);
    return { designId: design.id, slug: design.slug, ancestors, descendants };
  }

  async exportOkh(ref: string, version: string): Promise<OkhExport> {
    const v = await this.versionOrThrow(ref, version);
    const toml = toOkhLoshToml(v.content, { version: v.version, designId: v.designId, slug: v.slug, ...(v.repo ? { repo: v.repo } : {}) });
    return { fileName: `${v.slug}-${v.version}.okh.toml`, toml };
  }

  async forManufacturing(designVersionId: string): Promise<DesignVersionForManufacturing> {
    const cached = this.manufacturing.get(designVersionId);
    if (cached) return cached;
    const chain = await this.designs.lineageUp(designVersionId);
    const v = chain[0];
    if (!v) throw notFound('design version', designVersionId);
    const answer: DesignVersionForManufacturing = {
      designVersionId: v.id,
      designId: v.designId,
      slug: v.slug,
      version: v.version,
      contentHash: v.contentHash,
      title: v.content.title,
      license: v.content.license,
      requirements: v.content.requirements,
      attribution: attributionChain(chain.map((c) => c.content)),
    };
    if (this.manufacturing.size >= MANUFACTURING_CACHE_SIZE) {
      this.manufacturing.delete(this.manufacturing.keys().next().value!);
    }
    this.manufacturing.set(designVersionId, answer);
    return answer;
  }

  /** The `design` resource's one role: maintainer. Platform admins are let through by the gateway. */
  async authorize(query: AuthzQuery): Promise<AuthzAnswer> {
    if (query.resource !== 'design' || typeof query.id !== 'string' || query.id.length > 100) return 'not_found';
    const design = await this.designs.findDesign(query.id);
    if (!design) return 'not_found';
    if (query.role !== 'maintainer' || query.actor?.kind !== 'person') return 'forbidden';
    return (await this.designs.isMaintainer(design.id, query.actor.accountId)) ? 'allowed' : 'forbidden';
  }

  private async designOrThrow(ref: string): Promise<DesignRecord> {
    const design = await this.designs.findDesign(ref);
    if (!design) throw notFound('design', ref);
    return design;
  }

  private async versionOrThrow(ref: string, version: string): Promise<VersionRecord> {
    const design = await this.designOrThrow(ref);
    const v = await this.designs.findVersion(design.id, versionParam(version));
    if (!v) throw notFound('version', `${design.slug}@${version}`);
    return v;
  }
}
