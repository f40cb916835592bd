import { describe, expect, it } from '@jest/globals';
import { nextFreeSlug, SLUG_MAX, slugify } from './slug.js';

describe('slugify', () => {
  it.each([
    ['OpenFlexure Microscope', 'openflexure-microscope'],
    ['VentMon v0.4T', 'ventmon-v0-4t'],
    ['  Acraea-Prototype  ', 'acraea-prototype'],
    ['Größenverstellbarer Ständer für Ø 22 mm', 'grossenverstellbarer-stander-fur-o-22-mm'],
    ['Déjà vu — café', 'deja-vu-cafe'],
    ['!!!', 'design'],
    ['', 'design'],
  ])('%p → %p', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('stays within the limit and never ends with a hyphen', () => {
    const slug = slugify('word '.repeat(60));
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX);
    expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe('nextFreeSlug', () => {
  it('takes the base when free, else the first free numbered one', () => {
    expect(nextFreeSlug('clamp', new Set())).toBe('clamp');
    expect(nextFreeSlug('clamp', new Set(['clamp']))).toBe('clamp-2');
    expect(nextFreeSlug('clamp', new Set(['clamp', 'clamp-2', 'clamp-3']))).toBe('clamp-4');
  });

  it('keeps a numbered slug within the limit', () => {
    const base = 'a'.repeat(SLUG_MAX);
    const slug = nextFreeSlug(base, new Set([base]));
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX);
    expect(slug.endsWith('-2')).toBe(true);
  });
});
