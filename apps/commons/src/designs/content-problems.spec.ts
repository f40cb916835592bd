import { describe, expect, it } from '@jest/globals';
import { okhImportProblem, versionParam } from './content-problems.js';

describe('okhImportProblem', () => {
  it.each([
    ['field "license": CC-BY-NC-4.0 is not an open license (NonCommercial)', 'CC-BY-NC-4.0', 'license'],
    ['field "license.hardware": unknown license "All rights reserved"', 'All rights reserved', 'license.hardware'],
  ])('a license that is not open is 422 naming it: %s', (error, license, field) => {
    const problem = okhImportProblem(error);
    expect(problem.status).toBe(422);
    expect(problem.slug).toBe('license-not-open');
    expect(problem.extensions).toMatchObject({ license, field });
  });

  it.each([
    ['TOML: line 3, column 7: expected "="', 'manifest'],
    ['field "license": no license given', 'license'],
    ['field "name": required (the OKH-LOSH title of the module)', 'name'],
  ])('anything else that cannot be read is 400 naming the line or field: %s', (error, field) => {
    const problem = okhImportProblem(error);
    expect(problem.status).toBe(400);
    expect(problem.extensions.errors).toEqual([expect.objectContaining({ field })]);
    expect(problem.message).toContain(error);
  });
});

describe('versionParam', () => {
  it.each(['latest', '1.0.0', '2.0.0-rc.1'])('accepts %p', (v) => expect(versionParam(v)).toBe(v));
  it.each(['v1.0.0', '1.0', 'one', '1.0.0 '])('refuses %p with 400', (v) => expect(() => versionParam(v)).toThrow(/semantic version/));
});
