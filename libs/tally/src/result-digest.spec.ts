import { describe, expect, it } from '@jest/globals';
import { ballotReceipt, canonicalJson, sha256Hex, tallyDigest, verifyReceipt } from './result-digest.js';
import { Rational } from './rational.js';
import { shuffled } from './test-data.js';

describe('canonicalJson', () => {
  it('sorts keys by code point at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, e: undefined })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
    expect(canonicalJson({ 'é': 1, z: 2, Z: 3, '10': 4, '9': 5 })).toBe('{"10":4,"9":5,"Z":3,"z":2,"é":1}');
  });

  it('writes bigints and Rationals exactly, refuses floats and exotic values', () => {
    expect(canonicalJson({ n: 12345678901234567890n, r: Rational.of(2, 6) })).toBe('{"n":12345678901234567890,"r":"1/3"}');
    expect(() => canonicalJson({ x: 0.1 })).toThrow(/not a safe integer/);
    expect(() => canonicalJson([undefined])).toThrow(/undefined/);
    expect(() => canonicalJson(new Map())).toThrow(/Map/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });
});

describe('tallyDigest', () => {
  const ballots = Array.from({ length: 50 }, (_, i) => ({ approvals: [`p${i % 7}`, `p${(i * 3) % 5}`].sort() }));
  const rules = { rule: 'equal-shares', budget: Rational.of(1000), completion: 'add1', tieBreak: 'id' };

  it('does not depend on ballot order or key order', () => {
    const a = tallyDigest({ ballots, rules });
    const b = tallyDigest({ ballots: shuffled(ballots, 3), rules: { tieBreak: 'id', completion: 'add1', budget: Rational.of(1000), rule: 'equal-shares' } });
    expect(b.digest).toBe(a.digest);
    expect(a.digest).toBe(sha256Hex(a.canonical));
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with any ballot, rule or result', () => {
    const base = tallyDigest({ ballots, rules }).digest;
    expect(tallyDigest({ ballots: ballots.slice(1), rules }).digest).not.toBe(base);
    expect(tallyDigest({ ballots, rules: { ...rules, completion: 'none' } }).digest).not.toBe(base);
    expect(tallyDigest({ ballots, rules, result: { selected: ['p1'] } }).digest).not.toBe(base);
  });

  it('is a fixed, documented text anyone can rebuild', () => {
    const { canonical, digest } = tallyDigest({ ballots: [{ v: ['b'] }, { v: ['a'] }], rules: { rule: 'greedy' } });
    expect(canonical).toBe('{"ballots":[{"v":["a"]},{"v":["b"]}],"rules":{"rule":"greedy"}}');
    expect(digest).toBe(sha256Hex(canonical));
  });
});

describe('ballot receipts', () => {
  it('let a member check their ballot without revealing it', () => {
    const ballot = { approvals: ['p2', 'p5'] };
    const receipt = ballotReceipt('s3cret-salt', ballot);
    expect(verifyReceipt(receipt, 's3cret-salt', { approvals: ['p2', 'p5'] })).toBe(true);
    expect(verifyReceipt(receipt, 's3cret-salt', { approvals: ['p2'] })).toBe(false);
    expect(verifyReceipt(receipt, 'other', ballot)).toBe(false);
    expect(ballotReceipt('s3cret-salt', ballot)).toBe(receipt);
    expect(() => ballotReceipt('', ballot)).toThrow();
  });
});
