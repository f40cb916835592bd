import { describe, expect, it } from '@jest/globals';
import { attributionChain } from './attribution.js';

describe('attributionChain', () => {
  it('lists this version first, then up the lineage, each person once', () => {
    const chain = attributionChain([
      { licensors: [{ name: 'Bea' }], contributors: [{ name: 'Ada', email: 'ada@example.org' }] },
      { licensors: [{ name: 'ADA', email: 'Ada@Example.org' }], contributors: [{ name: 'Cy' }] },
      { licensors: [{ name: 'Dee', affiliation: 'Lab' }], contributors: [{ name: 'Bea' }] },
    ]);
    expect(chain).toEqual([
      { name: 'Bea' },
      { name: 'Ada', email: 'ada@example.org' },
      { name: 'Cy' },
      { name: 'Dee', affiliation: 'Lab' },
    ]);
  });

  it('keeps namesakes with different emails apart', () => {
    const chain = attributionChain([{ licensors: [{ name: 'Sam', email: 'a@x.org' }], contributors: [{ name: 'Sam', email: 'b@x.org' }] }]);
    expect(chain).toHaveLength(2);
  });
});
