import { describe, expect, it } from '@jest/globals';
import { parsePabulib, PabulibError, writePabulib, type PbInstance } from './pabulib.js';
import { Rational } from './rational.js';
import { readData } from './test-data.js';

const FILES = [
  'poland_warszawa_2017_plac-wojska-polskiego.pb',
  'poland_warszawa_2017_aleksandrow.pb',
  'poland_katowice_2021_dab.pb',
  'poland_krakow_2020_swoszowice.pb',
  'poland_wieliczka_2023.pb',
];

describe('parsePabulib', () => {
  it.each([
    ['poland_warszawa_2017_plac-wojska-polskiego.pb', 'approval', 4, 27, '51195'],
    ['poland_warszawa_2017_aleksandrow.pb', 'approval', 5, 422, '110411'],
    ['poland_katowice_2021_dab.pb', 'cumulative', 6, 772, '434115'],
    ['poland_krakow_2020_swoszowice.pb', 'ordinal', 13, 1306, '1345000'],
    ['poland_wieliczka_2023.pb', 'approval', 64, 6586, '1000000'],
  ])('%s: %s, %i projects, %i votes, budget %s', (file, type, projects, votes, budget) => {
    const inst = parsePabulib(readData(`pabulib/${file}`));
    expect(inst.voteType).toBe(type);
    expect(inst.projects).toHaveLength(projects);
    expect(inst.votes).toHaveLength(votes);
    expect(inst.budget.toString()).toBe(budget);
    expect(Number(inst.meta['num_votes'])).toBe(votes);
  });

  it('reads typed columns and keeps the others raw', () => {
    const inst = parsePabulib(readData('pabulib/poland_warszawa_2017_plac-wojska-polskiego.pb'));
    expect(inst.projects[1]).toEqual({
      id: '915',
      cost: Rational.of(5825),
      name: 'Plac Wojska Polskiego dla gniazdujących',
      selected: true,
      extra: { category: 'education,environmental protection', votes: '14', target: 'None' },
    });
    expect(inst.votes[4]).toEqual({
      voterId: '15240',
      projects: ['427', '915', '2567', '1623'],
      extra: { age: '37', sex: 'M', voting_method: 'internet' },
    });
  });

  it('reads cumulative points and ordinal rankings in file order', () => {
    const katowice = parsePabulib(readData('pabulib/poland_katowice_2021_dab.pb'));
    expect(katowice.votes[0].projects).toEqual(['L10/04/VIII', 'L10/05/VIII']);
    expect(katowice.votes[0].points).toEqual([Rational.of(2), Rational.of(1)]);
    const krakow = parsePabulib(readData('pabulib/poland_krakow_2020_swoszowice.pb'));
    expect(krakow.votes[0].projects).toEqual(['13', '4', '1']);
    expect(krakow.votes[0].points).toBeUndefined();
  });

  it('unquotes quoted fields with doubled quotes', () => {
    const krakow = parsePabulib(readData('pabulib/poland_krakow_2020_swoszowice.pb'));
    expect(krakow.projects.find((p) => p.id === '20')?.name).toBe('800 darmowych biletów dla seniorów do Kina "Paradox"');
    const wieliczka = parsePabulib(readData('pabulib/poland_wieliczka_2023.pb'));
    expect(wieliczka.projects.find((p) => p.id === '80')?.name).toBe('Drzewne przytulasy i relaksacyjne gniazda w Parku "Stok pod Baranem"');
  });

  it('rejects votes for unknown projects and unknown vote types', () => {
    const base = 'META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n';
    expect(() => parsePabulib(base + 'a;1,2\n')).toThrow(/unknown project "2"/);
    expect(() => parsePabulib(base.replace('approval', 'quadratic'))).toThrow(PabulibError);
    expect(() => parsePabulib(base.replace('budget;10\n', ''))).toThrow(/budget/);
  });

  it('accepts CRLF, a BOM and decimal commas', () => {
    const text = '\ufeffMETA\r\nkey;value\r\nbudget;10,5\r\nvote_type;approval\r\nPROJECTS\r\nproject_id;cost\r\n1;2,25\r\nVOTES\r\nvoter_id;vote\r\nv;1\r\n';
    const inst = parsePabulib(text);
    expect(inst.budget).toEqual(Rational.of(21, 2));
    expect(inst.projects[0].cost).toEqual(Rational.of(9, 4));
  });
});

describe('writePabulib', () => {
  it.each(FILES)('round-trips %s: parse(write(x)) equals x', (file) => {
    const inst = parsePabulib(readData(`pabulib/${file}`));
    const written = writePabulib(inst);
    expect(parsePabulib(written)).toEqual(inst);
    expect(writePabulib(parsePabulib(written))).toBe(written);
  });

  it('round-trips an exported council round with awkward text and fractional costs', () => {
    const inst: PbInstance = {
      meta: { description: 'Council round; spring "A"', country: 'Europe', unit: 'Cosmolocal', instance: '2025', num_projects: '2', num_votes: '2', budget: '100.5', vote_type: 'cumulative', rule: 'greedy' },
      voteType: 'cumulative',
      budget: Rational.of(201, 2),
      projectColumns: ['project_id', 'cost', 'name', 'selected', 'machine'],
      voteColumns: ['voter_id', 'vote', 'points'],
      projects: [
        { id: 'r1', cost: Rational.of(1, 3), name: 'Laser; cut "panels"\nbatch 2', selected: true, extra: { machine: 'laser' } },
        { id: 'r2', cost: Rational.fromDecimalString('12.75'), name: '', selected: false, extra: { machine: '' } },
      ],
      votes: [
        { voterId: 'm1', projects: ['r1', 'r2'], points: [Rational.of(2), Rational.of(1, 2)], extra: {} },
        { voterId: 'm2', projects: [], points: [], extra: {} },
      ],
    };
    const text = writePabulib(inst);
    expect(text).toContain('budget;100.5');
    expect(text).toContain('r1;1/3;"Laser; cut ""panels""\nbatch 2";1;laser');
    expect(parsePabulib(text)).toEqual(inst);
    // the typed budget wins over a stale META mirror
    const stale = { ...inst, meta: { ...inst.meta, budget: '1' } };
    expect(parsePabulib(writePabulib(stale)).meta['budget']).toBe('100.5');
  });

  it('refuses values a reader would change', () => {
    const inst = parsePabulib(readData('pabulib/poland_warszawa_2017_plac-wojska-polskiego.pb'));
    expect(() => writePabulib({ ...inst, projects: [{ ...inst.projects[0], name: ' padded' }] })).toThrow(/whitespace/);
    expect(() => writePabulib({ ...inst, projects: [{ ...inst.projects[0], id: 'a,b' }] })).toThrow(/comma/);
  });
});
