import { TermDictionary } from './term-dictionary';

/** Optimal string alignment distance, the plain O(n·m) way. */
function osa(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

describe('TermDictionary', () => {
  let seed = 11;
  const random = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed % n;
  };
  const word = (length: number): string => Array.from({ length }, () => 'abcde'[random(5)]).join('');
  const dictionary = new TermDictionary();
  const vocabulary = [...new Set(Array.from({ length: 3_000 }, () => word(3 + random(9))))];
  for (const term of vocabulary) dictionary.add(term);

  it('finds exactly the terms within the typo budget (first-letter edit counts two)', () => {
    for (let n = 0; n < 300; n++) {
      const query = word(5 + random(7));
      const maxTypos = query.length >= 9 ? 2 : 1;
      const found = new Map<string, number>();
      dictionary.forEachTypo(query, maxTypos, (id, typos) => found.set(dictionary.terms[id]!, typos));
      const expected = new Map<string, number>();
      for (const term of vocabulary) {
        if (term === query) continue;
        const typos = osa(query, term) + (term[0] === query[0] ? 0 : 1);
        if (typos <= maxTypos) expected.set(term, typos);
      }
      expect([query, [...found].sort()]).toEqual([query, [...expected].sort()]);
    }
  });

  it('lists the terms under a prefix', () => {
    const found: string[] = [];
    dictionary.forEachWithPrefix('abc', (id) => found.push(dictionary.terms[id]!));
    expect(found.sort()).toEqual(vocabulary.filter((term) => term.startsWith('abc')).sort());
    expect(dictionary.idOf(vocabulary[0]!)).toBe(0);
    expect(dictionary.add(vocabulary[0]!)).toBe(0);
  });
});
