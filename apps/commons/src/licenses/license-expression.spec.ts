import { describe, expect, it } from '@jest/globals';
import { normalizeLicense } from './license-expression.js';
import { DEPRECATED_SPDX_IDS, LICENSE_ALIASES, SPDX_LICENSES } from './spdx.js';

function ok(raw: string): { spdx: string; warnings: string[] } {
  const r = normalizeLicense(raw);
  if ('error' in r) throw new Error(`${raw}: ${r.error}`);
  return r;
}

describe('normalizeLicense', () => {
  it('passes every SPDX id unchanged and without warnings, in any case', () => {
    for (const l of SPDX_LICENSES) {
      expect(ok(l.id)).toEqual({ spdx: l.id, warnings: [] });
      expect(ok(l.id.toLowerCase())).toEqual({ spdx: l.id, warnings: [] });
    }
  });

  it('reads every SPDX full name and every alias, with a warning', () => {
    for (const l of SPDX_LICENSES) expect([l.name, ok(l.name).spdx]).toEqual([l.name, l.id]);
    for (const [alias, id] of Object.entries(LICENSE_ALIASES)) {
      const r = ok(alias);
      expect([alias, r.spdx]).toEqual([alias, id]);
      expect(r.warnings).toHaveLength(1);
    }
  });

  it.each([
    ['CERN OHL v1.2', 'CERN-OHL-1.2'],
    ['CERN Open Hardware Licence v1.2', 'CERN-OHL-1.2'],
    ['CERN-OHL-S v2', 'CERN-OHL-S-2.0'],
    ['CERN OHL S 2.0', 'CERN-OHL-S-2.0'],
    ['CC BY-SA 4.0', 'CC-BY-SA-4.0'],
    ['CC-BY-SA 4.0', 'CC-BY-SA-4.0'],
    ['Creative Commons Attribution-ShareAlike 4.0 International', 'CC-BY-SA-4.0'],
    ['CC BY 4.0', 'CC-BY-4.0'],
    ['CC BY-NC-SA 4.0', 'CC-BY-NC-SA-4.0'],
    ['Apache 2', 'Apache-2.0'],
    ['Apache License, Version 2.0', 'Apache-2.0'],
    ['MIT License', 'MIT'],
    ['BSD 3-Clause', 'BSD-3-Clause'],
    ['GNU GPL v3 or later', 'GPL-3.0-or-later'],
    ['GPLv3+', 'GPL-3.0-or-later'],
    ['GPL v2 only', 'GPL-2.0-only'],
    ['LGPL v2.1 or later', 'LGPL-2.1-or-later'],
    ['Mozilla Public License 2.0', 'MPL-2.0'],
    ['TAPR Open Hardware License', 'TAPR-OHL-1.0'],
    ['Solderpad Hardware License v2.1', 'SHL-2.1'],
    ['CC0', 'CC0-1.0'],
    ['https://creativecommons.org/licenses/by-sa/4.0/', 'CC-BY-SA-4.0'],
    ['https://creativecommons.org/publicdomain/zero/1.0/', 'CC0-1.0'],
    ['https://spdx.org/licenses/CERN-OHL-W-2.0.html', 'CERN-OHL-W-2.0'],
    ['https://ohwr.org/cern_ohl_s_v2.txt', 'CERN-OHL-S-2.0'],
    // The OKW sample's license field: a name followed by the URL of its text.
    ['AGPL 3.0 https://www.gnu.org/licenses/agpl-3.0.en.html', 'AGPL-3.0-only'],
  ])('reads %j as %s with a warning', (raw, spdx) => {
    const r = ok(raw);
    expect(r.spdx).toBe(spdx);
    expect(r.warnings.length).toBeGreaterThan(0);
  });

  // SPDX defined the deprecated GPL-3.0 as "version 3 only" (GPL-3.0+ was "or later").
  it.each(Object.entries(DEPRECATED_SPDX_IDS))('reads the deprecated id %s as %s and says so', (old, now) => {
    const r = ok(old);
    expect(r.spdx).toBe(now);
    expect(r.warnings[0]).toContain('deprecated');
  });

  it('reads a bare "GPL v3" like the deprecated GPL-3.0, naming the missing only/or later', () => {
    const r = ok('GPL v3');
    expect(r.spdx).toBe('GPL-3.0-only');
    expect(r.warnings[0]).toMatch(/neither "only" nor "or later"/);
  });

  it.each([
    ['MIT OR Apache-2.0', 'MIT OR Apache-2.0', 0],
    ['mit or apache-2.0', 'MIT OR Apache-2.0', 1],
    ['CERN-OHL-S-2.0 AND CC-BY-SA-4.0', 'CERN-OHL-S-2.0 AND CC-BY-SA-4.0', 0],
    ['(MIT OR Apache-2.0) AND CC-BY-4.0', '(MIT OR Apache-2.0) AND CC-BY-4.0', 0],
    ['MIT OR (Apache-2.0 AND CC-BY-4.0)', 'MIT OR Apache-2.0 AND CC-BY-4.0', 0],
    ['((MIT))', 'MIT', 0],
    ['MIT OR (Apache-2.0 OR ISC)', 'MIT OR Apache-2.0 OR ISC', 0],
    ['GPL-2.0-or-later WITH Classpath-exception-2.0', 'GPL-2.0-or-later WITH Classpath-exception-2.0', 0],
    ['gpl-2.0+ with classpath-exception-2.0 OR MIT', 'GPL-2.0-or-later WITH Classpath-exception-2.0 OR MIT', 2],
    ['CERN OHL v1.2 AND CC BY-SA 4.0', 'CERN-OHL-1.2 AND CC-BY-SA-4.0', 2],
    ['GPL-2.0 or later AND MIT', 'GPL-2.0-or-later AND MIT', 1],
    ['LicenseRef-my-own OR MIT', 'LicenseRef-my-own OR MIT', 1],
  ])('parses the expression %j as %j', (raw, spdx, warningCount) => {
    const r = ok(raw);
    expect(r.spdx).toBe(spdx);
    expect(r.warnings).toHaveLength(warningCount);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['All rights reserved', /not an open license \(all rights reserved\)/],
    ['Proprietary', /not an open license/],
    ['Public Domain', /CC0-1.0/],
    ['Foo License 9', /unknown license "Foo License 9"/],
    ['GPL', /unknown license "GPL"/],
    ['CC-BY-SA', /unknown license "CC-BY-SA"/],
    ['MIT AND', /missing license at the end in license expression "MIT AND"/],
    ['(MIT OR Apache-2.0', /missing "\)"/],
    ['MIT OR Apache-2.0)', /unexpected "\)"/],
    ['MIT AND Frobnicate-1.0', /unknown license "Frobnicate-1.0" in license expression/],
    ['GPL-2.0-only WITH Nonsense-exception', /unknown license exception "Nonsense-exception"/],
    ['(MIT OR ISC) WITH LLVM-exception', /WITH after a parenthesised expression/],
  ])('refuses %j', (raw, message) => {
    const r = normalizeLicense(raw);
    expect('error' in r && r.error).toMatch(message);
  });
});
