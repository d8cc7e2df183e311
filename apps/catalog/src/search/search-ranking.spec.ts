import { healthRank, topFacetValues, trustRank } from './search-ranking';

describe('ranking numbers', () => {
  it('orders trust verified > passed > needs-review > rejected > not scanned', () => {
    const order = (['verified', 'passed', 'needs-review', 'rejected', null] as const).map(trustRank);
    expect(order).toEqual([...order].sort((a, b) => b - a));
    expect(new Set(order).size).toBe(5);
  });

  it('orders health healthy > degraded > unknown > unprobeable > down > blocked', () => {
    const order = (['healthy', 'degraded', null, 'unprobeable', 'down', 'blocked'] as const).map(healthRank);
    expect(order).toEqual([5, 4, 3, 2, 1, 0]);
  });
});

describe('topFacetValues', () => {
  const values = Array.from({ length: 500 }, (_, i) => `ns${String(499 - i).padStart(3, '0')}`);
  const counts = values.map((_, i) => (i % 7 === 0 ? 0 : 1 + (i % 5)));

  it('keeps the largest counts, ties by value, zero counts left out', () => {
    const top = topFacetValues(values, counts, 100);
    const expected = values
      .map((value, i) => [value, counts[i]!] as const)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 100);
    expect(Object.entries(top)).toEqual(expected);
  });

  it('gives the same answer with precomputed alphabetical ranks', () => {
    const ranks = values.map((value) => [...values].sort().indexOf(value));
    expect(Object.entries(topFacetValues(values, counts, 100, ranks))).toEqual(Object.entries(topFacetValues(values, counts, 100)));
    expect(topFacetValues([null, 'x'], [3, 1])).toEqual({ x: 1 });
  });

  it('selects by threshold among many values with many ties, as the heap does', () => {
    for (let seed = 1; seed <= 20; seed++) {
      let state = seed;
      const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
      const many = Array.from({ length: 1000 }, (_, i) => `org${i}`);
      const sorted = new Map([...many].sort().map((value, rank) => [value, rank]));
      const ranks = many.map((value) => sorted.get(value)!);
      const spread = 1 + Math.floor(random() * 6);
      const tally = many.map(() => (random() < 0.2 ? 0 : Math.floor(random() * spread)));
      const expected = many
        .map((value, i) => [value, tally[i]!] as const)
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 100);
      expect(Object.entries(topFacetValues(many, tally, 100, ranks))).toEqual(expected);
    }
  });
});
