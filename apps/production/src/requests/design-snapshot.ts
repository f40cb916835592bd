import type { Contributor, ManufacturingStep } from '#libs/contracts/src/commons/design-version.js';
import type { DesignVersionForManufacturing } from '#libs/contracts/src/commons/messages.js';

/** The part of an immutable design version production keeps: for jobs (requirements) and provenance. */
export interface DesignSnapshot {
  designVersionId: string;
  designId: string | null;
  slug: string | null;
  version: string | null;
  title: string;
  contentHash: string;
  license: string;
  attribution: Contributor[];
  requirements: ManufacturingStep[];
}

export function snapshotOf(v: DesignVersionForManufacturing): DesignSnapshot {
  return {
    designVersionId: v.designVersionId,
    designId: v.designId ?? null,
    slug: v.slug ?? null,
    version: v.version ?? null,
    title: v.title,
    contentHash: v.contentHash,
    license: v.license,
    attribution: v.attribution ?? [],
    requirements: v.requirements ?? [],
  };
}
