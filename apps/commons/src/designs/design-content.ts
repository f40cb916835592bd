import type { DesignVersionContent } from '#libs/contracts/src/commons/design-version.js';
import type { FieldError } from '#libs/contracts/src/problem.js';
import { canonicalMaterial, canonicalProcess, canonicalUnit } from '#libs/taxonomy/src/index.js';
import { checkOpenLicense } from '../licenses/open-license.js';
import { normaliseContent } from './content-hash.js';

/** Content as typed in: the arrays may be missing (empty). */
export interface ContentInput {
  title: string;
  function: string;
  license: string;
  licensors?: DesignVersionContent['licensors'];
  contributors?: DesignVersionContent['contributors'];
  keywords?: string[];
  bom?: DesignVersionContent['bom'];
  links?: DesignVersionContent['links'];
  requirements?: DesignVersionContent['requirements'];
  extra?: Record<string, unknown>;
}

export type ContentCheck =
  | { ok: true; content: DesignVersionContent }
  | { ok: false; problem: 'invalid'; errors: FieldError[] }
  | { ok: false; problem: 'license'; license: string; reason: string };

/**
 * Checks typed-in content and brings it to its one normalised form. Manufacturing steps must
 * name what the taxonomy knows (fabrication matches on these ids, so a typo would make a design
 * silently unmatchable); aliases are accepted and canonicalised. The license must be open.
 * The BOM stays free text: it is read by people, not matched.
 */
export function checkContent(input: ContentInput): ContentCheck {
  const errors: FieldError[] = [];
  if (input.title.trim() === '') errors.push({ field: 'title', message: 'title must not be blank' });
  (input.requirements ?? []).forEach((step, i) => {
    if (!canonicalProcess(step.process)) {
      errors.push({ field: `requirements.${i}.process`, message: `"${step.process}" is not a known process` });
    }
    if (!canonicalMaterial(step.material)) {
      errors.push({ field: `requirements.${i}.material`, message: `"${step.material}" is not a known material` });
    }
    if (!canonicalUnit(step.materialUnit)) {
      errors.push({ field: `requirements.${i}.materialUnit`, message: `"${step.materialUnit}" is not a known unit` });
    }
  });
  for (const list of ['licensors', 'contributors'] as const) {
    (input[list] ?? []).forEach((p, i) => {
      if (p.name.trim() === '') errors.push({ field: `${list}.${i}.name`, message: 'name must not be blank' });
    });
  }
  if (errors.length > 0) return { ok: false, problem: 'invalid', errors };

  const license = checkOpenLicense(input.license);
  if (!license.ok) return { ok: false, problem: 'license', license: input.license, reason: license.reason };

  const content = normaliseContent({
    title: input.title,
    function: input.function,
    license: license.spdx,
    licensors: input.licensors ?? [],
    contributors: input.contributors ?? [],
    keywords: input.keywords ?? [],
    bom: input.bom ?? [],
    links: input.links ?? [],
    requirements: input.requirements ?? [],
    ...(input.extra ? { extra: input.extra } : {}),
  });
  return { ok: true, content };
}

/** The distinct processes and materials a version requires, in first-use order (search columns). */
export function requiredProcesses(content: DesignVersionContent): string[] {
  return [...new Set(content.requirements.map((s) => s.process))];
}

export function requiredMaterials(content: DesignVersionContent): string[] {
  return [...new Set(content.requirements.map((s) => s.material))];
}
