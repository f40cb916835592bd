import { describe, expect, it } from '@jest/globals';
import { canonicalJson, nameUuid, UUID_RE, uuidList } from './ids.js';

describe('name-based ids', () => {
  it('are UUIDs, stable, and differ by name', () => {
    const a = nameUuid('job', 'r1', '0');
    expect(a).toMatch(UUID_RE);
    expect(a[14]).toBe('5');
    expect(nameUuid('job', 'r1', '0')).toBe(a);
    expect(nameUuid('job', 'r1', '1')).not.toBe(a);
    expect(nameUuid('job', 'r10')).not.toBe(nameUuid('job', 'r1', '0'));
  });

  it('canonical JSON ignores key order and undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('passes UUIDs as an array literal and refuses anything else', () => {
    const a = nameUuid('a');
    const b = nameUuid('b');
    expect(uuidList([a, b])).toBe(`{${a},${b}}`);
    expect(uuidList([])).toBe('{}');
    expect(() => uuidList([a, `${b},${a}`])).toThrow(/not a UUID/);
    expect(() => uuidList(['{}'])).toThrow(/not a UUID/);
  });
});
