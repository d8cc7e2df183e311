/**
 * Package-name look-alikes of well-known MCP packages (security-checks.md A3): Damerau-Levenshtein
 * distance, scope look-alikes, homoglyphs and swapped word order. A name inside an official
 * scope is the scope owner's own (npm scopes are owned), so it is never a look-alike.
 */

export const WELL_KNOWN_NPM: readonly string[] = [
  '@modelcontextprotocol/server-filesystem',
  '@modelcontextprotocol/server-everything',
  '@modelcontextprotocol/server-memory',
  '@modelcontextprotocol/server-github',
  '@modelcontextprotocol/server-gitlab',
  '@modelcontextprotocol/server-postgres',
  '@modelcontextprotocol/server-puppeteer',
  '@modelcontextprotocol/server-slack',
  '@modelcontextprotocol/server-brave-search',
  '@modelcontextprotocol/server-fetch',
  '@modelcontextprotocol/server-git',
  '@modelcontextprotocol/server-google-maps',
  '@modelcontextprotocol/server-gdrive',
  '@modelcontextprotocol/server-sequential-thinking',
  '@modelcontextprotocol/server-redis',
  '@modelcontextprotocol/server-sqlite',
  '@modelcontextprotocol/server-time',
  '@modelcontextprotocol/server-aws-kb-retrieval',
  '@modelcontextprotocol/server-sentry',
  '@modelcontextprotocol/sdk',
  '@modelcontextprotocol/inspector',
  '@playwright/mcp',
  'mcp-remote',
  '@upstash/context7-mcp',
  '@notionhq/notion-mcp-server',
  '@stripe/mcp',
  '@supabase/mcp-server-supabase',
  'firecrawl-mcp',
  '@browserbasehq/mcp',
  '@cloudflare/mcp-server-cloudflare',
  '@sentry/mcp-server',
  '@heroku/mcp-server',
  'figma-developer-mcp',
  '@executeautomation/playwright-mcp-server',
  '@wonderwhy-er/desktop-commander',
  '@anthropic-ai/claude-code',
  '@anthropic-ai/sdk',
];

export const WELL_KNOWN_PYPI: readonly string[] = ['mcp', 'fastmcp', 'mcp-server-fetch', 'mcp-server-git', 'mcp-server-time', 'mcp-server-sqlite', 'mcp-server-sentry', 'mcp-proxy', 'mcp-atlassian', 'awslabs-core-mcp-server'];

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions), stopping early past `max`. */
export function damerauLevenshtein(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
  }
  return rows[a.length][b.length];
}

/** Latin look-alikes of Cyrillic/Greek letters and the digit/letter swaps typosquatters use. */
const CONFUSABLE: Record<string, string> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', һ: 'h', ԁ: 'd', ɡ: 'g', ո: 'n', ӏ: 'l',
  α: 'a', ο: 'o', ρ: 'p', ν: 'v', τ: 't', ι: 'i', κ: 'k', ε: 'e',
  '0': 'o', '1': 'l', '3': 'e', '5': 's', '|': 'l', '_': '-', '.': '-',
};

/** The skeleton two names share when they only differ by homoglyphs, digits-for-letters, `rn`/`m` or separators. */
export function skeleton(name: string): string {
  return [...name.normalize('NFKC').toLowerCase()]
    .map((ch) => CONFUSABLE[ch] ?? ch)
    .join('')
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/i/g, 'l')
    .replace(/-+/g, '-');
}

const split = (name: string): { scope?: string; bare: string } => {
  const m = /^@([^/]+)\/(.+)$/.exec(name);
  return m ? { scope: m[1], bare: m[2] } : { bare: name };
};

export interface LookalikeHit {
  official: string;
  how: string;
}

/** The well-known package a name imitates, if any. */
export function findLookalike(name: string, known: readonly string[]): LookalikeHit | undefined {
  if (known.includes(name)) return undefined;
  const { scope, bare } = split(name);
  const officialScopes = new Set(known.map((k) => split(k).scope).filter((s): s is string => !!s));
  if (scope && officialScopes.has(scope)) return undefined;
  for (const official of known) {
    const o = split(official);
    if (skeleton(name) === skeleton(official)) return { official, how: 'differs only by look-alike characters or separators' };
    const max = official.length < 12 ? 1 : 2;
    if (damerauLevenshtein(name.toLowerCase(), official, max) <= max) return { official, how: `is ${damerauLevenshtein(name.toLowerCase(), official, max)} edit(s) away` };
    if (scope && o.scope) {
      const collapsed = (s: string) => skeleton(s).replace(/-/g, '');
      if (collapsed(scope) === collapsed(o.scope) || damerauLevenshtein(scope.toLowerCase(), o.scope, 2) <= 2) {
        if (bare === o.bare || skeleton(bare) === skeleton(o.bare) || damerauLevenshtein(bare, o.bare, 2) <= 2) return { official, how: `uses the look-alike scope @${scope}` };
      }
    }
    if (scope === o.scope || (!scope && !o.scope) || (scope && o.scope && skeleton(scope).replace(/-/g, '') === skeleton(o.scope).replace(/-/g, ''))) {
      const words = (s: string) => s.split(/[-_.]/).sort().join('-');
      if (bare !== o.bare && words(bare) === words(o.bare)) return { official, how: 'swaps the words of its name' };
    }
  }
  return undefined;
}

/** Any package under a scope that imitates an official one (`@modelcontextprotoco1/anything`). */
export function findScopeImpersonation(name: string, known: readonly string[]): LookalikeHit | undefined {
  const { scope } = split(name);
  if (!scope) return undefined;
  const scopes = [...new Set(known.map((k) => split(k).scope).filter((s): s is string => !!s && s.length >= 8))];
  if (scopes.includes(scope)) return undefined;
  const collapsed = (s: string) => skeleton(s).replace(/-/g, '');
  const hit = scopes.find((s) => collapsed(scope) === collapsed(s) || damerauLevenshtein(scope.toLowerCase(), s, 2) <= 2);
  return hit ? { official: `@${hit}`, how: `uses the look-alike scope @${scope}` } : undefined;
}
