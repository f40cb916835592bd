import { describe, expect, it } from '@jest/globals';
import { checkOpenLicense, isOpenLicense } from './open-license.js';
import { SPDX_LICENSES } from './spdx.js';

describe('checkOpenLicense / isOpenLicense', () => {
  it.each([
    'CERN-OHL-S-2.0',
    'CERN-OHL-1.2',
    'TAPR-OHL-1.0',
    'CC0-1.0',
    'CC-BY-SA-4.0',
    'GPL-3.0-only',
    'MIT',
    'CERN OHL v1.2',
    // OR: the licensee may choose the open alternative.
    'CC-BY-NC-4.0 OR CC-BY-4.0',
    // AND: every term open.
    'CERN-OHL-S-2.0 AND CC-BY-SA-4.0 AND GPL-3.0-or-later',
    // WITH: exceptions only add permissions.
    'GPL-2.0-or-later WITH Classpath-exception-2.0',
  ])('accepts %j', (raw) => {
    expect(checkOpenLicense(raw).ok).toBe(true);
    expect(isOpenLicense(raw)).toBe(true);
  });

  it.each([
    ['CC-BY-NC-4.0', 'CC-BY-NC-4.0 is not an open license (NonCommercial restricts use)'],
    ['CC-BY-ND-4.0', 'CC-BY-ND-4.0 is not an open license (NoDerivatives forbids modified versions)'],
    ['CC-BY-NC-SA-4.0', 'CC-BY-NC-SA-4.0 is not an open license (NonCommercial restricts use)'],
    ['CC BY-NC-ND 4.0', 'CC-BY-NC-ND-4.0 is not an open license (NonCommercial restricts use; NoDerivatives forbids modified versions)'],
    ['CERN-OHL-S-2.0 AND CC-BY-NC-4.0', 'CC-BY-NC-4.0 is not an open license (NonCommercial restricts use)'],
    ['CC-BY-NC-4.0 OR CC-BY-ND-4.0', 'CC-BY-NC-4.0 is not an open license (NonCommercial restricts use); CC-BY-ND-4.0 is not an open license (NoDerivatives forbids modified versions)'],
    ['All rights reserved', '"All rights reserved" is not an open license (all rights reserved)'],
    ['LicenseRef-acme', 'LicenseRef-acme is not a known license, so it cannot be checked as open'],
    ['Acme Source License', 'unknown license "Acme Source License"'],
  ])('refuses %j: %s', (raw, reason) => {
    expect(checkOpenLicense(raw)).toEqual({ ok: false, reason });
    expect(isOpenLicense(raw)).toBe(false);
  });

  it('agrees with the open flag of every SPDX entry', () => {
    for (const l of SPDX_LICENSES) expect([l.id, isOpenLicense(l.id)]).toEqual([l.id, l.open]);
  });
});
