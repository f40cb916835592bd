import { describe, expect, it } from '@jest/globals';
import { DEFAULT_COUNCIL_RULES } from '#libs/contracts/src/council/index.js';
import { resolveRules } from './council-rules.js';

describe('council rules', () => {
  it('fills defaults: equal shares with add1 and greedy fill, approval, tie-break by id, secret replaceable ballots', () => {
    expect(resolveRules(undefined)).toEqual({ rules: DEFAULT_COUNCIL_RULES, errors: [] });
  });

  it('canonicalises processes, materials, units and exact numbers', () => {
    const { rules, errors } = resolveRules({
      quorum: '1/3',
      completion: { increment: '0.50' },
      rates: { machineHour: { 'Laser cutting': 30.5 }, material: { PLA: { unit: 'kilograms', rate: '25.00' } } },
    });
    expect(errors).toEqual([]);
    expect(rules.quorum).toBe('1/3');
    expect(rules.completion.increment).toBe('0.5');
    expect(rules.rates).toEqual({ machineHour: { 'laser-cutting': '30.5' }, material: { pla: { unit: 'kg', rate: '25' } } });
  });

  it('keeps what a change leaves out', () => {
    const base = resolveRules({ votingMethod: 'greedy', rates: { machineHour: { 'laser-cutting': '3' } } }).rules;
    const { rules } = resolveRules({ secretBallots: false }, base);
    expect(rules).toMatchObject({ votingMethod: 'greedy', secretBallots: false, rates: { machineHour: { 'laser-cutting': '3' } } });
  });

  it('names every field it refuses', () => {
    const { errors } = resolveRules({
      ballotType: 'cumulative',
      quorum: '3/2',
      completion: { increment: '0' },
      rates: { machineHour: { teleport: '1', 'laser-cutting': '-1' }, material: { unobtainium: { unit: 'g', rate: '1' }, pla: { unit: 'parsec', rate: '1' } } },
    });
    expect(errors.map((e) => e.field).sort()).toEqual([
      'rules.completion.increment',
      'rules.quorum',
      'rules.rates.machineHour.laser-cutting',
      'rules.rates.machineHour.teleport',
      'rules.rates.material.pla.unit',
      'rules.rates.material.unobtainium',
      'rules.votingMethod',
    ]);
  });
});
