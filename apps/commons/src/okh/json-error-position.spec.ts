import { describe, expect, it } from '@jest/globals';
import { jsonErrorPosition } from './json-error-position.js';

describe('jsonErrorPosition', () => {
  it.each([
    ['{"a": [1, 2, {"b": null, "c": "x\\u00e9"}], "d": -1.5e3, "e": true}', undefined],
    ['  []  ', undefined],
    ['{\n  "title": "x",\n  "license": }\n', { line: 3, column: 14 }],
    ['{"a": 1,}', { line: 1, column: 9 }],
    ['{"a" 1}', { line: 1, column: 6 }],
    ['[1, 2', { line: 1, column: 6 }],
    ['{"a": tru}', { line: 1, column: 7 }],
    ['{"a": "line\nbreak"}', { line: 1, column: 12 }],
    ['{}\n{}', { line: 2, column: 1 }],
    ['', { line: 1, column: 1 }],
    ['{"a": 01}', { line: 1, column: 8 }],
  ])('%j → %j', (text, expected) => {
    expect(jsonErrorPosition(text)).toEqual(expected);
  });

  it('agrees with JSON.parse on what is valid', () => {
    for (const text of ['{"a":1}', '[1,]', '{"a":1,}', 'nul', '"\\x"', '1.', '-', '"a"', '[[[]]]']) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect([text, jsonErrorPosition(text) === undefined]).toEqual([text, valid]);
    }
  });
});
