import { Rational } from './rational.js';

/**
 * Pabulib `.pb` files (https://pabulib.org/format): three `;`-separated sections META, PROJECTS and
 * VOTES, each starting with a header row. Parsing follows pabutools' `parse_pabulib_from_string`
 * (Python `csv` with `;`, fields trimmed, section names case-insensitive) so that both read a file
 * the same way.
 */
export type PbVoteType = 'approval' | 'choose-1' | 'cumulative' | 'scoring' | 'ordinal';

export interface PbProject {
  id: string;
  cost: Rational;
  name?: string;
  /** The file's `selected` column when it is 0 or 1 (officially funded or not). */
  selected?: boolean;
  /** Every other column, raw text, by header name. */
  extra: Record<string, string>;
}

export interface PbVote {
  voterId: string;
  /**
   * Project ids in file order: approved (approval, choose-1), ranked best first (ordinal), or
   * given points (cumulative, scoring; see `points`, same order).
   */
  projects: string[];
  points?: Rational[];
  /** Every other column (age, sex, voting_method, …), raw text. */
  extra: Record<string, string>;
}

export interface PbInstance {
  /** META section in file order. `budget` and `vote_type` are mirrored by the typed fields. */
  meta: Record<string, string>;
  voteType: PbVoteType;
  budget: Rational;
  /** Column order of PROJECTS / VOTES, so that writing gives back the same layout. */
  projectColumns: string[];
  voteColumns: string[];
  projects: PbProject[];
  votes: PbVote[];
}

export class PabulibError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'PabulibError';
  }
}

const VOTE_TYPES: readonly PbVoteType[] = ['approval', 'choose-1', 'cumulative', 'scoring', 'ordinal'];
const SECTIONS = ['meta', 'projects', 'votes'] as const;
type Section = (typeof SECTIONS)[number];
const PROJECT_TYPED = new Set(['project_id', 'cost', 'name', 'selected']);
const VOTE_TYPED = new Set(['voter_id', 'vote', 'points']);

export function parsePabulib(text: string): PbInstance {
  const meta: Record<string, string> = {};
  let projectColumns: string[] = [];
  let voteColumns: string[] = [];
  const projectRows: { row: string[]; line: number }[] = [];
  const voteRows: { row: string[]; line: number }[] = [];

  let section: Section | undefined;
  let header: string[] | undefined;
  let expectHeader = false;
  for (const { fields, line } of readCsv(text, ';')) {
    const row = fields.map((f) => f.trim());
    if (row.length === 0 || (row.length === 1 && row[0] === '')) continue;
    const first = row[0].toLowerCase();
    if ((SECTIONS as readonly string[]).includes(first) && (row.length === 1 || row.slice(1).every((f) => f === ''))) {
      section = first as Section;
      expectHeader = true;
      continue;
    }
    if (expectHeader) {
      header = row;
      expectHeader = false;
      if (section === 'projects') projectColumns = row;
      if (section === 'votes') voteColumns = row;
      continue;
    }
    if (!section || !header) throw new PabulibError('data before the first section header', line);
    if (section === 'meta') {
      if (row[0] in meta) throw new PabulibError(`duplicate META key "${row[0]}"`, line);
      meta[row[0]] = row[1] ?? '';
    } else if (section === 'projects') projectRows.push({ row, line });
    else voteRows.push({ row, line });
  }

  const voteType = meta['vote_type'] as PbVoteType;
  if (!VOTE_TYPES.includes(voteType)) throw new PabulibError(`unknown or missing vote_type "${meta['vote_type'] ?? ''}"`);
  if (meta['budget'] === undefined) throw new PabulibError('META has no budget');
  const budget = parseNumber(meta['budget'], 'budget');

  const projects: PbProject[] = [];
  const ids = new Set<string>();
  if (projectRows.length > 0 && (projectColumns[0] !== 'project_id' || !projectColumns.includes('cost'))) {
    throw new PabulibError('PROJECTS header must start with project_id and have a cost column');
  }
  for (const { row, line } of projectRows) {
    const get = (col: string) => row[projectColumns.indexOf(col)] ?? '';
    const id = row[0];
    if (ids.has(id)) throw new PabulibError(`duplicate project_id "${id}"`, line);
    ids.add(id);
    const project: PbProject = { id, cost: parseNumber(get('cost'), `cost of project ${id}`, line), extra: {} };
    if (projectColumns.includes('name')) project.name = get('name');
    if (projectColumns.includes('selected')) {
      const s = get('selected');
      if (s === '1' || s === '0') project.selected = s === '1';
      else project.extra['selected'] = s;
    }
    projectColumns.forEach((col, i) => {
      if (!PROJECT_TYPED.has(col)) project.extra[col] = row[i] ?? '';
    });
    projects.push(project);
  }

  const votes: PbVote[] = [];
  const hasPoints = voteType === 'cumulative' || voteType === 'scoring';
  if (voteRows.length > 0 && (!voteColumns.includes('voter_id') || !voteColumns.includes('vote'))) {
    throw new PabulibError('VOTES header must have voter_id and vote columns');
  }
  for (const { row, line } of voteRows) {
    const get = (col: string) => row[voteColumns.indexOf(col)] ?? '';
    const list = (text: string) =>
      text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    const voterId = get('voter_id');
    const voted = list(get('vote'));
    for (const p of voted) if (!ids.has(p)) throw new PabulibError(`voter ${voterId} votes for unknown project "${p}"`, line);
    if (voteType === 'ordinal' && new Set(voted).size !== voted.length) {
      throw new PabulibError(`voter ${voterId} ranks a project twice`, line);
    }
    const vote: PbVote = { voterId, projects: voted, extra: {} };
    if (hasPoints && voteColumns.includes('points')) {
      const points = list(get('points')).map((p) => parseNumber(p, `points of voter ${voterId}`, line));
      if (points.length !== voted.length) {
        throw new PabulibError(`voter ${voterId} has ${voted.length} projects but ${points.length} points`, line);
      }
      vote.points = points;
    }
    voteColumns.forEach((col, i) => {
      if (!VOTE_TYPED.has(col) || (col === 'points' && !hasPoints)) vote.extra[col] = row[i] ?? '';
    });
    votes.push(vote);
  }

  return { meta, voteType, budget, projectColumns, voteColumns, projects, votes };
}

/**
 * Writes a `.pb` text that `parsePabulib` (and pabutools) reads back to the same instance. The
 * typed fields win over their META / column mirrors (`budget`, `vote_type`, `num_projects`,
 * `num_votes` are refreshed where the META has them). Values that cannot survive a round trip
 * (leading/trailing spaces, a `,` inside a project id) are rejected rather than silently changed.
 */
export function writePabulib(instance: PbInstance): string {
  const lines: string[] = [];
  const meta: Record<string, string> = { ...instance.meta };
  meta['budget'] = numberText(instance.budget);
  meta['vote_type'] = instance.voteType;
  if ('num_projects' in meta) meta['num_projects'] = String(instance.projects.length);
  if ('num_votes' in meta) meta['num_votes'] = String(instance.votes.length);

  lines.push('META', 'key;value');
  for (const [k, v] of Object.entries(meta)) lines.push(csvRow([k, v]));

  const projectColumns = withColumns(
    instance.projectColumns.length > 0 ? instance.projectColumns : ['project_id', 'cost'],
    instance.projects.flatMap((p) => [
      ...(p.name !== undefined ? ['name'] : []),
      ...(p.selected !== undefined ? ['selected'] : []),
      ...Object.keys(p.extra),
    ]),
  );
  lines.push('PROJECTS', csvRow(projectColumns));
  for (const p of instance.projects) {
    if (p.id.includes(',')) throw new PabulibError(`project id "${p.id}" contains a comma`);
    const cell = (col: string): string => {
      switch (col) {
        case 'project_id':
          return p.id;
        case 'cost':
          return numberText(p.cost);
        case 'name':
          return p.name ?? '';
        case 'selected':
          return p.selected === undefined ? (p.extra['selected'] ?? '') : p.selected ? '1' : '0';
        default:
          return p.extra[col] ?? '';
      }
    };
    lines.push(csvRow(projectColumns.map(cell)));
  }

  const hasPoints = instance.voteType === 'cumulative' || instance.voteType === 'scoring';
  const voteColumns = withColumns(
    instance.voteColumns.length > 0 ? instance.voteColumns : ['voter_id', 'vote'],
    instance.votes.flatMap((v) => [...(v.points !== undefined ? ['points'] : []), ...Object.keys(v.extra)]),
  );
  lines.push('VOTES', csvRow(voteColumns));
  for (const v of instance.votes) {
    const cell = (col: string): string => {
      switch (col) {
        case 'voter_id':
          return v.voterId;
        case 'vote':
          return v.projects.join(',');
        case 'points':
          return hasPoints ? (v.points ?? []).map(numberText).join(',') : (v.extra['points'] ?? '');
        default:
          return v.extra[col] ?? '';
      }
    };
    lines.push(csvRow(voteColumns.map(cell)));
  }
  return lines.join('\n') + '\n';
}

function withColumns(base: readonly string[], used: readonly string[]): string[] {
  const columns = [...base];
  for (const c of used) if (!columns.includes(c)) columns.push(c);
  return columns;
}

function numberText(r: Rational): string {
  return r.toDecimalString() ?? r.toString();
}

function parseNumber(text: string, what: string, line?: number): Rational {
  try {
    return Rational.fromDecimalString(text);
  } catch {
    throw new PabulibError(`${what} is not a number: "${text}"`, line);
  }
}

function csvRow(fields: string[]): string {
  const first = (fields[0] ?? '').trim().toLowerCase();
  if ((SECTIONS as readonly string[]).includes(first) && fields.slice(1).every((f) => f.trim() === '')) {
    throw new PabulibError(`a row starting with "${fields[0]}" would read as a section header`);
  }
  if (fields.length === 1 && fields[0] === '') throw new PabulibError('an empty row would be skipped by readers');
  return fields.map(csvField).join(';');
}

function csvField(value: string): string {
  if (value !== value.trim()) throw new PabulibError(`value "${value}" has surrounding whitespace, which readers trim`);
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Python-`csv`-compatible reader (default dialect, custom delimiter): a field that starts with a
 * quote runs to the matching quote, `""` inside is a literal quote, text after the closing quote
 * is kept; quotes inside an unquoted field are literal. Quoted fields may span lines.
 */
export function* readCsv(text: string, delimiter: string): Generator<{ fields: string[]; line: number }> {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let atFieldStart = true;
    let inQuotes = false;
    for (;;) {
      if (i >= n) {
        fields.push(field);
        break;
      }
      const ch = text[i];
      if (inQuotes) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            inQuotes = false;
            i++;
          }
        } else {
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
        continue;
      }
      if (ch === '"' && atFieldStart) {
        inQuotes = true;
        atFieldStart = false;
        i++;
      } else if (ch === delimiter) {
        fields.push(field);
        field = '';
        atFieldStart = true;
        i++;
      } else if (ch === '\n' || ch === '\r') {
        fields.push(field);
        i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        break;
      } else {
        field += ch;
        atFieldStart = false;
        i++;
      }
    }
    yield { fields: fields.length === 1 && fields[0] === '' ? [] : fields, line: start };
  }
}
