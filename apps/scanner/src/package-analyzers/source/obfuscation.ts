import type { Finding, Severity } from '../../analyzers/finding';
import { fileLine, lineLocator, packageFinding } from '../package-finding';
import { OBFUSCATION } from './source-rules';

/**
 * Obfuscation by regexes over the raw text (no AST needed, so it also covers files too big to
 * parse). Obfuscator markers are what minifiers never produce: `_0x` hex identifiers, the
 * rotated string array (`while(!![])` + `push(shift())`), Dean Edwards' packer, JSFuck runs and
 * lines made of `\x` escapes. Plain minification only counts when no source map is shipped.
 */

const HEX_IDENT = /\b_0x[0-9a-f]{4,}\b/gi;
const MIN_HEX_IDENTS = 10;
const ROTATION = /while\s*\(\s*!!\[\]\s*\)|\.push\(\s*[\w$]+\.shift\(\)\s*\)/;
const PACKER = /eval\s*\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[dr]\s*\)/;
const JSFUCK = /[[\]()!+]{200,}/;
const ESCAPE_RUN = /(?:\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}){60,}/;
const MINIFIED_LINE = 5000;

/**
 * A run of escapes that spells printable ASCII (`\x72\x65\x71…` = "req…"): code or strings
 * hidden from a reader. Character tables (iconv's `\xC4\u0100…`) escape non-ASCII code points
 * and are not counted.
 */
function asciiEscapeRun(text: string): RegExpExecArray | null {
  const runs = new RegExp(ESCAPE_RUN.source, 'g');
  for (let m = runs.exec(text), n = 0; m && n < 1000; m = runs.exec(text), n++) {
    const codes = [...m[0].matchAll(/\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})/g)].map((e) => parseInt(e[1] ?? e[2], 16));
    if (codes.filter((c) => c >= 0x20 && c < 0x7f).length >= codes.length * 0.8) return m;
  }
  return null;
}

export interface ObfuscationInput {
  path: string;
  text: string;
  /** A `//# sourceMappingURL` comment or a sibling `.map` file ships with the file. */
  hasSourceMap: boolean;
}

export function analyzeObfuscation({ path, text, hasSourceMap }: ObfuscationInput): Finding[] {
  const line = lineLocator(text);
  const markers: { what: string; index: number; evidence: string }[] = [];
  const hexIdents = new Map<string, number>();
  for (const m of text.matchAll(HEX_IDENT)) {
    if (!hexIdents.has(m[0].toLowerCase())) hexIdents.set(m[0].toLowerCase(), m.index);
    if (hexIdents.size > 500) break;
  }
  if (hexIdents.size >= MIN_HEX_IDENTS) {
    const first = Math.min(...hexIdents.values());
    markers.push({ what: `${hexIdents.size >= 500 ? '500+' : hexIdents.size} distinct _0x… identifiers (obfuscator.io)`, index: first, evidence: [...hexIdents.keys()].slice(0, 8).join(', ') });
  }
  for (const [pattern, what] of [
    [ROTATION, 'a rotated string array (while(!![]) / push(shift()))'],
    [PACKER, 'a packed eval(function(p,a,c,k,e,d))'],
    [JSFUCK, 'a JSFuck run of []()!+'],
    [ESCAPE_RUN, 'a long run of \\x/\\u escapes'],
  ] as const) {
    const m = pattern === ESCAPE_RUN ? asciiEscapeRun(text) : pattern.exec(text);
    // The rotation marker alone is common enough (queues) to need the hex identifiers beside it.
    if (m && (pattern !== ROTATION || hexIdents.size >= 3)) markers.push({ what, index: m.index, evidence: text.slice(Math.max(0, m.index - 40), m.index + 120) });
  }
  if (markers.length > 0) {
    const severity: Severity = hasSourceMap ? 'medium' : 'high';
    return [
      packageFinding(OBFUSCATION, {
        location: fileLine(path, line(markers[0].index)),
        rawEvidence: markers.map((m) => m.evidence).join(' | '),
        message: `Obfuscated code: ${markers.map((m) => m.what).join('; ')}. Minifiers do not produce these; obfuscators do, to hide what runs.${hasSourceMap ? ' A source map ships with it, which lowers the level.' : ''}`,
        severity,
        confidence: markers.length > 1 || hexIdents.size >= 50 ? 'high' : 'medium',
      }),
    ];
  }
  if (hasSourceMap) return [];
  let offset = 0;
  for (const l of text.split('\n')) {
    if (l.length >= MINIFIED_LINE) {
      return [
        packageFinding(OBFUSCATION, {
          location: fileLine(path, line(offset)),
          rawEvidence: l.slice(0, 200),
          message: `Minified code (a ${l.length}-character line) without a source map: reviewers cannot read it. Low unless other rules fire.`,
          severity: 'low',
          confidence: 'low',
        }),
      ];
    }
    offset += l.length + 1;
  }
  return [];
}
