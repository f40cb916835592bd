import { describe, expect, it } from '@jest/globals';
import { FORK_RULES, forkLicenseAllowed } from './fork-license.js';
import { SPDX_LICENSES } from './spdx.js';

const OPEN = SPDX_LICENSES.filter((l) => l.open).map((l) => l.id);

describe('forkLicenseAllowed', () => {
  // Every rule, both ways: what it allows and what it refuses (with the rule's own text).
  const rows: Array<[string, string, true | string]> = [];
  for (const [parent, { children, rule }] of Object.entries(FORK_RULES)) {
    for (const child of OPEN) rows.push([parent, child, children.includes(child) ? true : rule]);
  }
  it.each(rows)('%s → %s', (parent, child, expected) => {
    expect(forkLicenseAllowed(parent, child)).toEqual(expected === true ? { ok: true } : { ok: false, rule: expected });
  });

  it('has a rule for every open license that is not permissive', () => {
    for (const l of SPDX_LICENSES) {
      if (l.open && l.reciprocity !== 'permissive') expect([l.id, FORK_RULES[l.id] !== undefined]).toEqual([l.id, true]);
      if (FORK_RULES[l.id]) expect(FORK_RULES[l.id].children).toContain(l.id);
    }
  });

  it.each(SPDX_LICENSES.filter((l) => l.reciprocity === 'permissive').map((l) => l.id))(
    'a permissive parent %s lets a fork carry any open license',
    (parent) => {
      for (const child of OPEN) expect([child, forkLicenseAllowed(parent, child)]).toEqual([child, { ok: true }]);
    },
  );

  it.each([
    ['CERN-OHL-S-2.0', 'CERN-OHL-W-2.0', 'CERN-OHL-S-2.0 is strongly reciprocal: a fork must stay CERN-OHL-S-2.0'],
    ['CERN-OHL-S-2.0', 'MIT', 'CERN-OHL-S-2.0 is strongly reciprocal: a fork must stay CERN-OHL-S-2.0'],
    ['CERN-OHL-W-2.0', 'CERN-OHL-P-2.0', 'CERN-OHL-W-2.0 is weakly reciprocal: a fork must stay CERN-OHL-W-2.0 or move to CERN-OHL-S-2.0'],
    ['CC-BY-SA-4.0', 'CC-BY-4.0', 'CC-BY-SA-4.0 is share-alike: a fork must stay CC-BY-SA-4.0 or move to GPL-3.0 (its one-way compatible license)'],
    ['GPL-3.0-only', 'GPL-3.0-or-later', 'GPL-3.0-only is copyleft: a fork must stay GPL-3.0-only'],
    ['TAPR-OHL-1.0', 'CERN-OHL-S-2.0', 'TAPR-OHL-1.0 is reciprocal: a fork must stay TAPR-OHL-1.0'],
    ['CC-BY-SA-3.0', 'GPL-3.0-only', 'CC-BY-SA-3.0 is share-alike: a fork must stay CC-BY-SA-3.0 or move to CC-BY-SA-4.0'],
  ])('%s → %s refused: %s', (parent, child, rule) => {
    expect(forkLicenseAllowed(parent, child)).toEqual({ ok: false, rule });
  });

  it.each([
    // Non-SPDX spellings and deprecated ids are read first.
    ['CERN OHL v1.2', 'CERN-OHL-S-2.0', true],
    ['GPL-3.0', 'GPL-3.0-only', true],
    ['GPL-3.0', 'GPL-3.0-or-later', false],
    ['CC BY-SA 4.0', 'GPL-3.0-or-later', true],
    // Parent OR: the forker follows one alternative.
    ['CERN-OHL-S-2.0 OR MIT', 'Apache-2.0', true],
    ['CERN-OHL-S-2.0 OR TAPR-OHL-1.0', 'MIT', false],
    // Parent AND: every term binds.
    ['CERN-OHL-S-2.0 AND CC-BY-4.0', 'CERN-OHL-S-2.0', true],
    ['CERN-OHL-S-2.0 AND CC-BY-SA-4.0', 'CERN-OHL-S-2.0', false],
    ['CERN-OHL-S-2.0 AND CC-BY-SA-4.0', 'CERN-OHL-S-2.0 AND CC-BY-SA-4.0', true],
    // Child OR: downstream may pick any alternative, so each must keep the parent's terms.
    ['CC-BY-SA-4.0', 'CC-BY-SA-4.0 OR MIT', false],
    ['GPL-2.0-or-later', 'GPL-2.0-only OR GPL-3.0-only', true],
    // Child AND: the reciprocal term still binds.
    ['CERN-OHL-S-2.0', 'CERN-OHL-S-2.0 AND MIT', true],
    // Exceptions: a reciprocal parent's fork may drop one, not add one.
    ['GPL-2.0-or-later WITH Classpath-exception-2.0', 'GPL-2.0-or-later', true],
    ['GPL-2.0-or-later WITH Classpath-exception-2.0', 'GPL-3.0-only WITH Classpath-exception-2.0', true],
    ['GPL-3.0-only', 'GPL-3.0-only WITH GCC-exception-3.1', false],
    ['MIT', 'GPL-3.0-only WITH GCC-exception-3.1', true],
  ])('%s → %s: %s', (parent, child, allowed) => {
    expect(forkLicenseAllowed(parent, child).ok).toBe(allowed);
  });

  it.each([
    ['CERN-OHL-S-2.0', 'CC-BY-NC-4.0', 'a fork must carry an open license: CC-BY-NC-4.0 is not an open license (NonCommercial restricts use)'],
    ['MIT', 'All rights reserved', 'a fork must carry an open license: "All rights reserved" is not an open license (all rights reserved)'],
    ['Nonsense', 'MIT', 'parent license: unknown license "Nonsense"'],
    ['CC-BY-ND-4.0', 'CC-BY-4.0', 'CC-BY-ND-4.0 is not an open license (NoDerivatives forbids modified versions); a fork cannot follow it'],
    ['LicenseRef-x', 'MIT', 'LicenseRef-x is not a known license, so what it allows a fork cannot be checked'],
  ])('%s → %s refused: %s', (parent, child, rule) => {
    expect(forkLicenseAllowed(parent, child)).toEqual({ ok: false, rule });
  });

  it('names every alternative when none of a parent OR allows the fork', () => {
    const r = forkLicenseAllowed('CERN-OHL-S-2.0 OR TAPR-OHL-1.0', 'MIT');
    expect(r).toEqual({
      ok: false,
      rule:
        'a fork may follow any one alternative of CERN-OHL-S-2.0 OR TAPR-OHL-1.0, and none allows MIT: ' +
        'CERN-OHL-S-2.0 is strongly reciprocal: a fork must stay CERN-OHL-S-2.0; TAPR-OHL-1.0 is reciprocal: a fork must stay TAPR-OHL-1.0',
    });
  });
});
