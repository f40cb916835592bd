/**
 * PrefLib ordinal files (https://preflib.org/format): `.soc`/`.soi` (strict complete/incomplete
 * orders) and `.toc`/`.toi` (orders with ties, `{…}` grouping tied alternatives). Header lines are
 * `# KEY: value`, alternatives `# ALTERNATIVE NAME i: name`, and each data line is
 * `count: a,b,{c,d},…`. Alternatives a ballot leaves out are ranked below all it lists and tied
 * with each other (the `.toc` files write that tier out explicitly; `.soi` leaves it implicit).
 */
export interface PreflibAlternative {
  id: number;
  name: string;
}

export interface PreflibBallot {
  count: number;
  /** Best first; each tier lists alternatives tied with each other. */
  tiers: number[][];
}

export interface PreflibElection {
  dataType: string;
  title?: string;
  /** Every `# KEY: value` header except the alternative names, in file order. */
  meta: Record<string, string>;
  alternatives: PreflibAlternative[];
  ballots: PreflibBallot[];
  voters: number;
}

export class PreflibError extends Error {
  constructor(message: string, line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'PreflibError';
  }
}

export function parsePreflib(text: string, fileName?: string): PreflibElection {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const meta: Record<string, string> = {};
  const names = new Map<number, string>();
  const ballots: PreflibBallot[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const lineNo = index + 1;
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^#\s*([^:]+?)\s*:\s?(.*)$/.exec(line);
      if (!m) return;
      const alt = /^ALTERNATIVE NAME (\d+)$/i.exec(m[1]);
      if (alt) {
        const id = Number(alt[1]);
        if (names.has(id)) throw new PreflibError(`alternative ${id} named twice`, lineNo);
        names.set(id, m[2].trim());
      } else meta[m[1]] = m[2].trim();
      return;
    }
    const m = /^(\d+)\s*:\s*(.*)$/.exec(line);
    if (!m) throw new PreflibError(`cannot read "${line}"`, lineNo);
    const count = Number(m[1]);
    if (!Number.isSafeInteger(count)) throw new PreflibError(`count ${m[1]} too large`, lineNo);
    ballots.push({ count, tiers: parseOrder(m[2], lineNo) });
  });

  const declared = meta['NUMBER ALTERNATIVES'];
  const alternatives = [...names.entries()].sort((a, b) => a[0] - b[0]).map(([id, name]) => ({ id, name }));
  if (declared !== undefined && Number(declared) !== alternatives.length) {
    throw new PreflibError(`header declares ${declared} alternatives but names ${alternatives.length}`);
  }
  const known = new Set(names.keys());
  ballots.forEach((b, i) => {
    const seen = new Set<number>();
    for (const tier of b.tiers) {
      for (const a of tier) {
        if (!known.has(a)) throw new PreflibError(`ballot ${i + 1} ranks unknown alternative ${a}`);
        if (seen.has(a)) throw new PreflibError(`ballot ${i + 1} ranks alternative ${a} twice`);
        seen.add(a);
      }
    }
  });
  const voters = ballots.reduce((n, b) => n + b.count, 0);
  const declaredVoters = meta['NUMBER VOTERS'];
  if (declaredVoters !== undefined && Number(declaredVoters) !== voters) {
    throw new PreflibError(`header declares ${declaredVoters} voters but the ballots count ${voters}`);
  }
  const extension = fileName ? /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase() : undefined;
  return {
    dataType: (meta['DATA TYPE'] ?? extension ?? 'unknown').toLowerCase(),
    ...(meta['TITLE'] !== undefined ? { title: meta['TITLE'] } : {}),
    meta,
    alternatives,
    ballots,
    voters,
  };
}

function parseOrder(text: string, lineNo: number): number[][] {
  const tiers: number[][] = [];
  const re = /\s*(\{[^}]*\}|\d+)\s*(?:,|$)/y;
  let pos = 0;
  const s = text.trim();
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) throw new PreflibError(`cannot read order "${text}"`, lineNo);
    const token = m[1];
    if (token.startsWith('{')) {
      const inner = token.slice(1, -1).trim();
      const tier = inner === '' ? [] : inner.split(',').map((x) => Number(x.trim()));
      if (tier.some((x) => !Number.isInteger(x))) throw new PreflibError(`bad tie group "${token}"`, lineNo);
      if (tier.length > 0) tiers.push(tier);
    } else tiers.push([Number(token)]);
    pos = re.lastIndex;
  }
  return tiers;
}

/** The alternatives' names, or their ids as text where a name is missing. */
export function alternativeLabel(election: PreflibElection, id: number): string {
  return election.alternatives.find((a) => a.id === id)?.name ?? String(id);
}

/** Finds an alternative by id ("8") or by exact name ("Further Discussion"). */
export function findAlternative(election: PreflibElection, idOrName: string): PreflibAlternative | undefined {
  const trimmed = idOrName.trim();
  return (
    election.alternatives.find((a) => String(a.id) === trimmed) ??
    election.alternatives.find((a) => a.name === trimmed) ??
    election.alternatives.find((a) => a.name.toLowerCase() === trimmed.toLowerCase())
  );
}
