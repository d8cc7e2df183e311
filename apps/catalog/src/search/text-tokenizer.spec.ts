import { highlightText, TermMatcher } from './highlight';
import { isWholeWord, queryWords, scanWords, tokenize, wordsOf } from './text-tokenizer';

function words(text: string): string[] {
  return tokenize(text, []);
}

describe('tokenize', () => {
  it('splits on punctuation, camelCase and acronyms, lower-cases and drops diacritics', () => {
    expect(words('io.github.acme/git-server')).toEqual(['io', 'github', 'acme', 'git', 'server']);
    expect(words('git_diff getWeather HTTPServer oauth2Login')).toEqual(['git', 'diff', 'get', 'weather', 'http', 'server', 'oauth2', 'login']);
    expect(words('Café CRÈME naïve')).toEqual(['cafe', 'creme', 'naive']);
    expect(words('@acme/weather-mcp v1.2.0')).toEqual(['acme', 'weather', 'mcp', 'v1', '2', '0']);
  });

  it('drops words longer than 40 characters (hashes, blobs)', () => {
    expect(words(`sha ${'a'.repeat(41)} end`)).toEqual(['sha', 'end']);
  });

  it('keeps the distinct query words, at most 10', () => {
    expect(queryWords('Git git GIT diff')).toEqual(['git', 'diff']);
    expect(queryWords('a b c d e f g h i j k l')).toHaveLength(10);
    expect(wordsOf(['git_diff', null, 'getWeather'])).toBe('git diff get weather');
  });
});

describe('isWholeWord (highlighting by indexOf) agrees with scanWords', () => {
  const alphabet = ['a', 'B', 'c', 'D', '1', '_', ' ', '-', 'x', 'Y'];
  let seed = 42;
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };

  it('on 2,000 random mixed-case strings', () => {
    for (let n = 0; n < 2_000; n++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 14) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const spans = new Set<string>();
      scanWords(text, (start, end) => spans.add(`${start}:${end}`));
      for (let start = 0; start < text.length; start++) {
        for (let end = start + 1; end <= text.length; end++) {
          if (!/^[A-Za-z0-9]+$/.test(text.slice(start, end))) continue;
          expect([text, start, end, isWholeWord(text, start, end)]).toEqual([text, start, end, spans.has(`${start}:${end}`)]);
        }
      }
    }
  });

  it('so both highlighting paths give the same HTML', () => {
    const text = 'getWeather & HTTPServer <weather> weathers';
    const few = new TermMatcher(new Set(['weather', 'server']));
    const many = new TermMatcher(new Set(['weather', 'server', 't1', 't2', 't3', 't4', 't5', 't6', 't7']));
    const expected = 'get<em>Weather</em> &amp; HTTP<em>Server</em> &lt;<em>weather</em>&gt; weathers';
    expect(highlightText(text, few).html).toBe(expected);
    expect(highlightText(text, many).html).toBe(expected);
  });
});
