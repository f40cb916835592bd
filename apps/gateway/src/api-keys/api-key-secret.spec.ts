import { describe, expect, it } from '@jest/globals';
import { formatKey, hashSecret, newSecret, parseKey, secretMatches } from './api-key-secret.js';

describe('API key format', () => {
  it('round-trips id and secret', () => {
    const id = '0b8f3c2e-1a2b-4c3d-8e9f-0123456789ab';
    const secret = newSecret();
    expect(parseKey(formatKey(id, secret))).toEqual({ id, secret });
  });

  it.each(['', 'ck_', 'ck_zz_abc', 'Bearer x', `ck_${'a'.repeat(32)}_short`])('rejects %p', (key) => {
    expect(parseKey(key)).toBeNull();
  });

  it('matches only the right secret', () => {
    const secret = newSecret();
    expect(secretMatches(secret, hashSecret(secret))).toBe(true);
    expect(secretMatches(newSecret(), hashSecret(secret))).toBe(false);
  });
});
