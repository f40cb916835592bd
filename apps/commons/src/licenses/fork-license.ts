import { formatLicense, parseLicenseExpression, type LicenseNode } from './license-expression.js';
import { checkOpenLicense } from './open-license.js';
import { getSpdxLicense } from './spdx.js';

export interface ForkRule {
  /** The licenses a fork of this parent may carry. */
  children: readonly string[];
  /** Shown when a fork breaks the rule. */
  rule: string;
}

const GPL2_PLUS = ['GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0-only', 'GPL-3.0-or-later'];

/**
 * What each reciprocal (share-alike, copyleft) license lets a fork carry. Permissive parents
 * (CERN-OHL-P-2.0, CC-BY-*, CC0-1.0, MIT, Apache-2.0, BSD-*, Solderpad …) have no entry: a
 * fork may carry any open license. Where a license allows moving on (an "or later" grant, a
 * documented one-way compatibility) the successors are listed; everything else stays put,
 * which is the safe side for a commons whose share-alike licenses must never be dropped.
 */
export const FORK_RULES: Readonly<Record<string, ForkRule>> = {
  'CERN-OHL-S-2.0': {
    children: ['CERN-OHL-S-2.0'],
    rule: 'CERN-OHL-S-2.0 is strongly reciprocal: a fork must stay CERN-OHL-S-2.0',
  },
  'CERN-OHL-W-2.0': {
    children: ['CERN-OHL-W-2.0', 'CERN-OHL-S-2.0'],
    rule: 'CERN-OHL-W-2.0 is weakly reciprocal: a fork must stay CERN-OHL-W-2.0 or move to CERN-OHL-S-2.0',
  },
  // v1.x lets licensees follow later versions CERN publishes; CERN names CERN-OHL-S-2.0 as the
  // reciprocal successor of v1.2.
  'CERN-OHL-1.2': {
    children: ['CERN-OHL-1.2', 'CERN-OHL-S-2.0'],
    rule: 'CERN-OHL-1.2 is reciprocal: a fork must stay CERN-OHL-1.2 or move to its successor CERN-OHL-S-2.0',
  },
  'CERN-OHL-1.1': {
    children: ['CERN-OHL-1.1', 'CERN-OHL-1.2', 'CERN-OHL-S-2.0'],
    rule: 'CERN-OHL-1.1 is reciprocal: a fork must stay CERN-OHL-1.1 or move to CERN-OHL-1.2 or CERN-OHL-S-2.0',
  },
  'TAPR-OHL-1.0': {
    children: ['TAPR-OHL-1.0'],
    rule: 'TAPR-OHL-1.0 is reciprocal: a fork must stay TAPR-OHL-1.0',
  },
  // Creative Commons declared BY-SA 4.0 one-way compatible with GPLv3 (2015).
  'CC-BY-SA-4.0': {
    children: ['CC-BY-SA-4.0', 'GPL-3.0-only', 'GPL-3.0-or-later'],
    rule: 'CC-BY-SA-4.0 is share-alike: a fork must stay CC-BY-SA-4.0 or move to GPL-3.0 (its one-way compatible license)',
  },
  // BY-SA 3.0 §4(b) allows adaptations under a later version of the same license.
  'CC-BY-SA-3.0': {
    children: ['CC-BY-SA-3.0', 'CC-BY-SA-4.0'],
    rule: 'CC-BY-SA-3.0 is share-alike: a fork must stay CC-BY-SA-3.0 or move to CC-BY-SA-4.0',
  },
  'GPL-2.0-only': {
    children: ['GPL-2.0-only'],
    rule: 'GPL-2.0-only is copyleft: a fork must stay GPL-2.0-only',
  },
  'GPL-2.0-or-later': {
    children: GPL2_PLUS,
    rule: 'GPL-2.0-or-later is copyleft: a fork must stay under the GPL, version 2 or later',
  },
  'GPL-3.0-only': {
    children: ['GPL-3.0-only'],
    rule: 'GPL-3.0-only is copyleft: a fork must stay GPL-3.0-only',
  },
  'GPL-3.0-or-later': {
    children: ['GPL-3.0-or-later', 'GPL-3.0-only'],
    rule: 'GPL-3.0-or-later is copyleft: a fork must stay under the GPL, version 3 or later',
  },
  // LGPL-2.1 §3 allows switching a copy to the ordinary GPL, version 2 or any later.
  'LGPL-2.1-only': {
    children: ['LGPL-2.1-only', ...GPL2_PLUS],
    rule: 'LGPL-2.1-only is weak copyleft: a fork must stay LGPL-2.1-only or move to the GPL, version 2 or later',
  },
  'LGPL-2.1-or-later': {
    children: ['LGPL-2.1-or-later', 'LGPL-2.1-only', 'LGPL-3.0-only', 'LGPL-3.0-or-later', ...GPL2_PLUS],
    rule: 'LGPL-2.1-or-later is weak copyleft: a fork must stay under the LGPL (2.1 or later) or move to the GPL',
  },
  // LGPL-3.0 is GPL-3.0 plus extra permissions; dropping them leaves GPL-3.0.
  'LGPL-3.0-only': {
    children: ['LGPL-3.0-only', 'GPL-3.0-only'],
    rule: 'LGPL-3.0-only is weak copyleft: a fork must stay LGPL-3.0-only or move to GPL-3.0-only',
  },
  'LGPL-3.0-or-later': {
    children: ['LGPL-3.0-or-later', 'LGPL-3.0-only', 'GPL-3.0-only', 'GPL-3.0-or-later'],
    rule: 'LGPL-3.0-or-later is weak copyleft: a fork must stay under the LGPL or GPL, version 3 or later',
  },
  'AGPL-3.0-only': {
    children: ['AGPL-3.0-only'],
    rule: 'AGPL-3.0-only is network copyleft: a fork must stay AGPL-3.0-only',
  },
  'AGPL-3.0-or-later': {
    children: ['AGPL-3.0-or-later', 'AGPL-3.0-only'],
    rule: 'AGPL-3.0-or-later is network copyleft: a fork must stay under the AGPL, version 3 or later',
  },
  'MPL-2.0': {
    children: ['MPL-2.0'],
    rule: 'MPL-2.0 is file-level reciprocal: a fork must stay MPL-2.0',
  },
  'EUPL-1.2': {
    children: ['EUPL-1.2'],
    rule: 'EUPL-1.2 is copyleft: a fork must stay EUPL-1.2',
  },
  'GFDL-1.3-only': {
    children: ['GFDL-1.3-only'],
    rule: 'GFDL-1.3-only is copyleft: a fork must stay GFDL-1.3-only',
  },
  'GFDL-1.3-or-later': {
    children: ['GFDL-1.3-or-later', 'GFDL-1.3-only'],
    rule: 'GFDL-1.3-or-later is copyleft: a fork must stay under the GFDL, version 1.3 or later',
  },
  'OFL-1.1': {
    children: ['OFL-1.1'],
    rule: 'OFL-1.1 is reciprocal: a modified font must stay OFL-1.1',
  },
};

type Leaf = { id: string; exception?: string };

/**
 * Whether a fork of a design under `parent` may carry `child`. The child must be open. With a
 * parent expression:
 * - `A OR B`: the forker picks the alternative to follow, so one that allows the child is enough;
 * - `A AND B`: every term binds, so each must allow the child.
 * Each parent license is kept by a child leaf its rule lists; a child `X OR Y` keeps it only if
 * every alternative does (downstream may choose either); a child `X AND Y` keeps it if one term
 * does (all terms bind). A reciprocal parent's fork may drop, but not add, a WITH exception.
 */
export function forkLicenseAllowed(parent: string, child: string): { ok: true } | { ok: false; rule: string } {
  const p = parseLicenseExpression(parent);
  if ('error' in p) return { ok: false, rule: `parent license: ${p.error}` };
  const open = checkOpenLicense(child);
  if (!open.ok) return { ok: false, rule: `a fork must carry an open license: ${open.reason}` };
  const c = parseLicenseExpression(child);
  if ('error' in c) return { ok: false, rule: c.error };
  const blocked = parentBlocks(p.node, c.node);
  return blocked === undefined ? { ok: true } : { ok: false, rule: blocked };
}

function parentBlocks(parent: LicenseNode, child: LicenseNode): string | undefined {
  if (parent.type === 'license') return keeps(parent, child);
  const results = parent.terms.map((t) => parentBlocks(t, child));
  if (parent.type === 'and') return results.find((r) => r !== undefined);
  if (results.some((r) => r === undefined)) return undefined;
  return `a fork may follow any one alternative of ${formatLicense(parent)}, and none allows ${formatLicense(child)}: ${results.join('; ')}`;
}

function keeps(parent: Leaf, child: LicenseNode): string | undefined {
  if (child.type === 'license') return leafAllows(parent, child);
  const results = child.terms.map((t) => keeps(parent, t));
  if (child.type === 'or') return results.find((r) => r !== undefined);
  return results.some((r) => r === undefined) ? undefined : results[0];
}

function leafAllows(parent: Leaf, child: Leaf): string | undefined {
  const license = getSpdxLicense(parent.id);
  if (!license) return `${parent.id} is not a known license, so what it allows a fork cannot be checked`;
  if (!license.open) return `${parent.id} is not an open license (${license.notOpenBecause}); a fork cannot follow it`;
  if (license.reciprocity === 'permissive') return undefined;
  const rule = FORK_RULES[parent.id] ?? {
    children: [parent.id],
    rule: `${parent.id} is reciprocal: a fork must stay ${parent.id}`,
  };
  if (!rule.children.includes(child.id)) return rule.rule;
  if (child.exception && child.exception !== parent.exception) {
    return `${parent.id} is reciprocal: a fork may not add the exception ${child.exception}`;
  }
  return undefined;
}
