/**
 * The SPDX licenses the commons knows, with what the open-license and fork rules need.
 * Ids and names follow the SPDX License List (https://spdx.org/licenses/).
 *
 * `open`: free/open in the sense of the OSHWA definition, OSI and the Free Software
 * Definition — anyone may study, modify, make, sell. NonCommercial and NoDerivatives fail it.
 * `reciprocity`: what a fork owes. `permissive` parents accept any open license for a fork;
 * the others have a rule in fork-license.ts.
 */
export type LicenseFamily = 'hardware' | 'software' | 'content' | 'font';
export type Reciprocity = 'permissive' | 'weak' | 'strong';

export interface SpdxLicense {
  id: string;
  name: string;
  family: LicenseFamily;
  open: boolean;
  /** Only for open licenses. */
  reciprocity?: Reciprocity;
  /** Why a non-open license is not open, as shown in refusals. */
  notOpenBecause?: string;
}

const NC = 'NonCommercial restricts use';
const ND = 'NoDerivatives forbids modified versions';

function open(id: string, name: string, family: LicenseFamily, reciprocity: Reciprocity): SpdxLicense {
  return { id, name, family, open: true, reciprocity };
}
function closed(id: string, name: string, because: string): SpdxLicense {
  return { id, name, family: 'content', open: false, notOpenBecause: because };
}

export const SPDX_LICENSES: readonly SpdxLicense[] = [
  // Open hardware.
  open('CERN-OHL-1.1', 'CERN Open Hardware Licence v1.1', 'hardware', 'strong'),
  open('CERN-OHL-1.2', 'CERN Open Hardware Licence v1.2', 'hardware', 'strong'),
  open('CERN-OHL-P-2.0', 'CERN Open Hardware Licence Version 2 - Permissive', 'hardware', 'permissive'),
  open('CERN-OHL-W-2.0', 'CERN Open Hardware Licence Version 2 - Weakly Reciprocal', 'hardware', 'weak'),
  open('CERN-OHL-S-2.0', 'CERN Open Hardware Licence Version 2 - Strongly Reciprocal', 'hardware', 'strong'),
  open('TAPR-OHL-1.0', 'TAPR Open Hardware License v1.0', 'hardware', 'strong'),
  open('SHL-0.5', 'Solderpad Hardware License v0.5', 'hardware', 'permissive'),
  open('SHL-0.51', 'Solderpad Hardware License, Version 0.51', 'hardware', 'permissive'),
  open('SHL-2.0', 'Solderpad Hardware License v2.0', 'hardware', 'permissive'),
  open('SHL-2.1', 'Solderpad Hardware License v2.1', 'hardware', 'permissive'),

  // Documentation and other content.
  open('CC0-1.0', 'Creative Commons Zero v1.0 Universal', 'content', 'permissive'),
  open('CC-BY-3.0', 'Creative Commons Attribution 3.0 Unported', 'content', 'permissive'),
  open('CC-BY-4.0', 'Creative Commons Attribution 4.0 International', 'content', 'permissive'),
  open('CC-BY-SA-3.0', 'Creative Commons Attribution Share Alike 3.0 Unported', 'content', 'strong'),
  open('CC-BY-SA-4.0', 'Creative Commons Attribution Share Alike 4.0 International', 'content', 'strong'),
  open('GFDL-1.3-only', 'GNU Free Documentation License v1.3 only', 'content', 'strong'),
  open('GFDL-1.3-or-later', 'GNU Free Documentation License v1.3 or later', 'content', 'strong'),
  closed('CC-BY-NC-3.0', 'Creative Commons Attribution Non Commercial 3.0 Unported', NC),
  closed('CC-BY-NC-4.0', 'Creative Commons Attribution Non Commercial 4.0 International', NC),
  closed('CC-BY-ND-3.0', 'Creative Commons Attribution No Derivatives 3.0 Unported', ND),
  closed('CC-BY-ND-4.0', 'Creative Commons Attribution No Derivatives 4.0 International', ND),
  closed('CC-BY-NC-SA-3.0', 'Creative Commons Attribution Non Commercial Share Alike 3.0 Unported', NC),
  closed('CC-BY-NC-SA-4.0', 'Creative Commons Attribution Non Commercial Share Alike 4.0 International', NC),
  closed('CC-BY-NC-ND-3.0', 'Creative Commons Attribution Non Commercial No Derivatives 3.0 Unported', `${NC}; ${ND}`),
  closed('CC-BY-NC-ND-4.0', 'Creative Commons Attribution Non Commercial No Derivatives 4.0 International', `${NC}; ${ND}`),

  // Software (firmware, tooling shipped with designs).
  open('GPL-2.0-only', 'GNU General Public License v2.0 only', 'software', 'strong'),
  open('GPL-2.0-or-later', 'GNU General Public License v2.0 or later', 'software', 'strong'),
  open('GPL-3.0-only', 'GNU General Public License v3.0 only', 'software', 'strong'),
  open('GPL-3.0-or-later', 'GNU General Public License v3.0 or later', 'software', 'strong'),
  open('LGPL-2.1-only', 'GNU Lesser General Public License v2.1 only', 'software', 'weak'),
  open('LGPL-2.1-or-later', 'GNU Lesser General Public License v2.1 or later', 'software', 'weak'),
  open('LGPL-3.0-only', 'GNU Lesser General Public License v3.0 only', 'software', 'weak'),
  open('LGPL-3.0-or-later', 'GNU Lesser General Public License v3.0 or later', 'software', 'weak'),
  open('AGPL-3.0-only', 'GNU Affero General Public License v3.0 only', 'software', 'strong'),
  open('AGPL-3.0-or-later', 'GNU Affero General Public License v3.0 or later', 'software', 'strong'),
  open('MPL-2.0', 'Mozilla Public License 2.0', 'software', 'weak'),
  open('EUPL-1.2', 'European Union Public License 1.2', 'software', 'strong'),
  open('MIT', 'MIT License', 'software', 'permissive'),
  open('Apache-2.0', 'Apache License 2.0', 'software', 'permissive'),
  open('BSD-2-Clause', 'BSD 2-Clause "Simplified" License', 'software', 'permissive'),
  open('BSD-3-Clause', 'BSD 3-Clause "New" or "Revised" License', 'software', 'permissive'),
  open('ISC', 'ISC License', 'software', 'permissive'),
  open('Zlib', 'zlib License', 'software', 'permissive'),
  open('0BSD', 'BSD Zero Clause License', 'software', 'permissive'),
  open('Unlicense', 'The Unlicense', 'software', 'permissive'),

  // Fonts.
  open('OFL-1.1', 'SIL Open Font License 1.1', 'font', 'strong'),
];

/**
 * Deprecated SPDX ids and what SPDX defined them to mean. `GPL-3.0` was defined as
 * "version 3.0 only" (the `+` form was the "or later" one), so it becomes `GPL-3.0-only` —
 * also the stricter reading for fork rules, which is the safe side for a share-alike commons.
 */
export const DEPRECATED_SPDX_IDS: Readonly<Record<string, string>> = {
  'GPL-2.0': 'GPL-2.0-only',
  'GPL-2.0+': 'GPL-2.0-or-later',
  'GPL-3.0': 'GPL-3.0-only',
  'GPL-3.0+': 'GPL-3.0-or-later',
  'LGPL-2.1': 'LGPL-2.1-only',
  'LGPL-2.1+': 'LGPL-2.1-or-later',
  'LGPL-3.0': 'LGPL-3.0-only',
  'LGPL-3.0+': 'LGPL-3.0-or-later',
  'AGPL-3.0': 'AGPL-3.0-only',
  'GFDL-1.3': 'GFDL-1.3-only',
};

/** SPDX license exceptions: each adds permissions, so `X WITH e` is open exactly when X is. */
export const SPDX_EXCEPTIONS: readonly string[] = [
  'Classpath-exception-2.0',
  'LLVM-exception',
  'GCC-exception-3.1',
  'Autoconf-exception-3.0',
  'Bison-exception-2.2',
  'Font-exception-2.0',
  'Linux-syscall-note',
  'OpenJDK-assembly-exception-1.0',
  'Qt-GPL-exception-1.0',
  'Qt-LGPL-exception-1.1',
  'eCos-exception-2.0',
  'u-boot-exception-2.0',
  'Bootloader-exception',
];

/**
 * Names people write instead of SPDX ids that the fuzzy key (license-expression.ts) does not
 * already reduce to an SPDX id or name.
 */
export const LICENSE_ALIASES: Readonly<Record<string, string>> = {
  CC0: 'CC0-1.0',
  'CC0 Universal': 'CC0-1.0',
  'CC Zero': 'CC0-1.0',
  'CERN-OHL-S': 'CERN-OHL-S-2.0',
  'CERN-OHL-W': 'CERN-OHL-W-2.0',
  'CERN-OHL-P': 'CERN-OHL-P-2.0',
  'CERN OHL 2 Strongly Reciprocal': 'CERN-OHL-S-2.0',
  'CERN OHL 2 Weakly Reciprocal': 'CERN-OHL-W-2.0',
  'CERN OHL 2 Permissive': 'CERN-OHL-P-2.0',
  'CERN Open Hardware Licence Version 2 Strongly Reciprocal': 'CERN-OHL-S-2.0',
  'CERN Open Hardware Licence Version 2 Weakly Reciprocal': 'CERN-OHL-W-2.0',
  'CERN Open Hardware Licence Version 2 Permissive': 'CERN-OHL-P-2.0',
  'TAPR OHL': 'TAPR-OHL-1.0',
  Expat: 'MIT',
  'New BSD': 'BSD-3-Clause',
  'Simplified BSD': 'BSD-2-Clause',
  'FreeBSD': 'BSD-2-Clause',
  'ASL 2.0': 'Apache-2.0',
};

const BY_ID = new Map(SPDX_LICENSES.map((l) => [l.id, l]));

export function getSpdxLicense(id: string): SpdxLicense | undefined {
  return BY_ID.get(id);
}
