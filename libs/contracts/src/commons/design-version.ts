/**
 * The normalised content of a design version: what is hashed, stored, exported as OKH
 * and read by fabrication (requirements) and production (provenance). Plain data only,
 * so every service and the pure logic can share it.
 */
export interface BuildEnvelopeMm {
  x: number;
  y: number;
  z: number;
}

/** One manufacturing step: a process applied to a material, per unit produced. */
export interface ManufacturingStep {
  /** Canonical process id from libs/taxonomy, e.g. `3d-printing.fdm`. */
  process: string;
  /** Canonical material id from libs/taxonomy, e.g. `pla`. */
  material: string;
  /** Minimum build envelope the machine must offer. */
  envelopeMm?: BuildEnvelopeMm;
  /** Optional tolerance class or text, e.g. `ISO 2768-m`. */
  tolerance?: string;
  machineMinutesPerUnit: number;
  materialQuantityPerUnit: number;
  /** Canonical unit id from libs/taxonomy, e.g. `g`, `m2`, `pcs`. */
  materialUnit: string;
}

export interface BomItem {
  item: string;
  quantity: number;
  material?: string;
  unit?: string;
}

export interface DesignLink {
  /** e.g. `source`, `documentation`, `bom`, `image`, `file`. */
  kind: string;
  url: string;
  title?: string;
}

export interface Contributor {
  name: string;
  email?: string;
  handle?: string;
  role?: string;
  /** Organisation the person acts for (OKH v1 `affiliation`, OKH-LOSH `organization`). */
  affiliation?: string;
}

export interface DesignVersionContent {
  title: string;
  /** What the thing does. */
  function: string;
  /** SPDX license expression (open licenses only). */
  license: string;
  licensors: Contributor[];
  contributors: Contributor[];
  keywords: string[];
  bom: BomItem[];
  links: DesignLink[];
  requirements: ManufacturingStep[];
  /** Free-form extra metadata kept from imports (e.g. OKH fields we do not model). */
  extra?: Record<string, unknown>;
}
