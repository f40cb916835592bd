import { parseLicenseExpression, type LicenseNode } from './license-expression.js';
import { getSpdxLicense } from './spdx.js';

export type OpenLicenseVerdict = { ok: true; spdx: string; warnings: string[] } | { ok: false; reason: string };

/**
 * Whether a license expression lets anyone study, modify, make and sell the design:
 * - a single license: open when the SPDX list entry is (NonCommercial/NoDerivatives are not);
 * - `A OR B`: the licensee chooses, so one open alternative is enough;
 * - `A AND B`: every term binds at once, so all must be open;
 * - `A WITH exception`: exceptions only add permissions, so it is open when A is.
 * `LicenseRef-…`, unknown names and "all rights reserved" are refused.
 */
export function checkOpenLicense(raw: string): OpenLicenseVerdict {
  const parsed = parseLicenseExpression(raw);
  if ('error' in parsed) return { ok: false, reason: parsed.error };
  const reason = whyNotOpen(parsed.node);
  return reason === undefined ? { ok: true, spdx: parsed.spdx, warnings: parsed.warnings } : { ok: false, reason };
}

export function isOpenLicense(raw: string): boolean {
  return checkOpenLicense(raw).ok;
}

/** `undefined` when open, else the refusal naming the license. */
export function whyNotOpen(node: LicenseNode): string | undefined {
  if (node.type === 'license') {
    const license = getSpdxLicense(node.id);
    if (!license) return `${node.id} is not a known license, so it cannot be checked as open`;
    if (!license.open) return `${node.id} is not an open license (${license.notOpenBecause})`;
    return undefined;
  }
  const reasons = node.terms.map(whyNotOpen);
  if (node.type === 'and') return reasons.find((r) => r !== undefined);
  return reasons.every((r) => r !== undefined) ? reasons.join('; ') : undefined;
}
