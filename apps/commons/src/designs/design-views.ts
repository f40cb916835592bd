import type {
  DesignSummary,
  DesignVersionView,
  DesignView,
  VersionRef,
} from '#libs/contracts/src/commons/views.js';
import { attributionChain } from './attribution.js';
import type { DesignRecord, DesignsStore, VersionRecord } from './designs.repository.js';

export function designSummary(d: DesignRecord, rank?: number): DesignSummary {
  return {
    id: d.id,
    slug: d.slug,
    title: d.title,
    function: d.function,
    license: d.license,
    keywords: d.keywords,
    processes: d.processes,
    materials: d.materials,
    latestVersion: d.latestVersion,
    latestVersionId: d.latestVersionId,
    verified: d.verified,
    builds: { successful: d.successfulBuilds, failed: d.failedBuilds, unitsBuilt: d.unitsBuilt },
    endorsements: d.endorsements,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    ...(rank !== undefined ? { rank } : {}),
  };
}

export function versionRef(v: VersionRecord): VersionRef {
  return { designId: v.designId, slug: v.slug, designVersionId: v.id, version: v.version };
}

/** Assembles the answers that need more than one row. */
export async function designView(store: DesignsStore, d: DesignRecord): Promise<DesignView> {
  const [maintainers, versions, origin] = await Promise.all([store.maintainers(d.id), store.versionsOf(d.id), store.forkOrigin(d.id)]);
  return { ...designSummary(d), maintainers, versions, forkedFrom: origin ? versionRef(origin) : null };
}

export async function versionView(store: DesignsStore, v: VersionRecord): Promise<DesignVersionView> {
  const [builds, endorsements, chain, parent] = await Promise.all([
    store.buildCounts(v.id),
    store.endorsementsOf(v.id),
    store.lineageUp(v.id),
    v.forkedFromVersionId ? store.findVersionById(v.forkedFromVersionId) : Promise.resolve(null),
  ]);
  return {
    designVersionId: v.id,
    designId: v.designId,
    slug: v.slug,
    version: v.version,
    contentHash: v.contentHash,
    content: v.content,
    forkedFrom: parent ? versionRef(parent) : null,
    publishedBy: v.publishedBy,
    publishedAt: v.publishedAt.toISOString(),
    verified: builds.successful > 0,
    builds,
    endorsements,
    attribution: attributionChain(chain.map((c) => c.content)),
  };
}
