/**
 * Real manifests spell the same thing many ways ("3D printing", "3d_printing", "3D-Printing",
 * "https://en.wikipedia.org/wiki/3D_printing"), so every lookup goes through one key.
 */
export function lookupKey(input: string): string {
  return input
    .trim()
    .toLowerCase()
    .replace(/[\s_\-]+/g, ' ')
    .trim();
}

const WIKIDATA_ID = /^(?:wd:)?(q\d+)$/i;
const WIKIDATA_URL = /^https?:\/\/(?:www\.)?wikidata\.org\/(?:wiki|entity)\/(q\d+)\/?$/i;
const WIKIPEDIA_URL = /^https?:\/\/[a-z-]+\.(?:m\.)?wikipedia\.org\/wiki\/([^?#]+)/i;

/** `Q229367`, `wd:Q229367` or a Wikidata URL → `Q229367`. */
export function wikidataId(input: string): string | undefined {
  const s = input.trim();
  const m = WIKIDATA_ID.exec(s) ?? WIKIDATA_URL.exec(s);
  return m ? m[1].toUpperCase() : undefined;
}

/**
 * OKW records (e.g. the supply-graph-ai sample) name processes and materials by Wikipedia
 * article URL; the article title is then just another alias.
 */
export function wikipediaTitle(input: string): string | undefined {
  const m = WIKIPEDIA_URL.exec(input.trim());
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]).replace(/_/g, ' ');
  } catch {
    return m[1].replace(/_/g, ' ');
  }
}
