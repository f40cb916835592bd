import semver from 'semver';
import type { DesignVersionContent } from '#libs/contracts/src/commons/design-version.js';
import { badRequest, type DomainError, unprocessable } from '#libs/contracts/src/index.js';
import type { ContentCheck } from './design-content.js';

/** The content, or the problem that says what is wrong with it (400 fields, 422 license). */
export function contentOrThrow(check: ContentCheck): DesignVersionContent {
  if (check.ok) return check.content;
  if (check.problem === 'invalid') {
    throw badRequest(check.errors.length === 1 ? check.errors[0]!.message : `${check.errors.length} fields are not valid`, check.errors);
  }
  throw licenseNotOpen(check.license, check.reason);
}

export function licenseNotOpen(license: string, reason: string): DomainError {
  return unprocessable(
    'license-not-open',
    'Only open licenses enter the commons',
    `The license "${license}" cannot be published in the commons: ${reason}`,
    { license },
  );
}

/** A version named in a route: a semantic version or `latest`. */
export function versionParam(version: string): string {
  if (version === 'latest') return version;
  if (semver.valid(version) !== version) {
    throw badRequest('version must be a semantic version (e.g. 1.2.0) or latest', [
      { field: 'version', message: `"${version}" is not a semantic version` },
    ]);
  }
  return version;
}

/** A version to publish: exactly a semantic version (no leading v, no spaces). */
export function publishableVersion(version: string): string {
  if (semver.valid(version) !== version) {
    throw badRequest(`version "${version}" is not a semantic version such as 1.0.0`, [
      { field: 'version', message: `"${version}" is not a semantic version` },
    ]);
  }
  return version;
}

/**
 * An OKH import error as a problem: a license that is not open (or cannot be checked) is 422
 * naming it; anything else that cannot be read is 400 naming the line or field.
 */
export function okhImportProblem(error: string): DomainError {
  const field = /^field "([^"]+)": (.*)$/s.exec(error);
  if (field && /^license(\.\w+)?$/.test(field[1]!) && !/no license given/.test(field[2]!)) {
    const named = /"([^"]+)"/.exec(field[2]!)?.[1] ?? /^(\S+) is not/.exec(field[2]!)?.[1] ?? field[2]!;
    return unprocessable('license-not-open', 'Only open licenses enter the commons', `The manifest cannot be imported: ${error}`, {
      license: named,
      field: field[1],
    });
  }
  return badRequest(`The manifest cannot be read: ${error}`, [{ field: field ? field[1]! : 'manifest', message: field ? field[2]! : error }]);
}
