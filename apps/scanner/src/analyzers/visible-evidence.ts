/**
 * Evidence a reviewer can read safely: every invisible or control character shown by name,
 * anything that looks like a credential masked, and long text cut. Reviewers must see what the
 * model sees (security-checks.md §4.5: "show decoded or invisible text visibly") but a finding
 * must never become a second copy of a leaked secret (§F: "store a redacted prefix, never the value").
 */

/** Default evidence length (visible characters); FindingSchema allows 2000. */
export const EVIDENCE_MAX_LENGTH = 300;

const NAMED: ReadonlyMap<number, string> = new Map([
  [0x00ad, 'SHY'],
  [0x034f, 'CGJ'],
  [0x061c, 'ALM'],
  [0x115f, 'U+115F HANGUL CHOSEONG FILLER'],
  [0x1160, 'U+1160 HANGUL JUNGSEONG FILLER'],
  [0x180e, 'U+180E MONGOLIAN VOWEL SEPARATOR'],
  [0x200b, 'ZWSP'],
  [0x200c, 'ZWNJ'],
  [0x200d, 'ZWJ'],
  [0x200e, 'U+200E LRM'],
  [0x200f, 'U+200F RLM'],
  [0x2028, 'U+2028 LINE SEPARATOR'],
  [0x2029, 'U+2029 PARAGRAPH SEPARATOR'],
  [0x202a, 'U+202A LRE'],
  [0x202b, 'U+202B RLE'],
  [0x202c, 'U+202C PDF'],
  [0x202d, 'U+202D LRO'],
  [0x202e, 'U+202E RLO'],
  [0x2060, 'WJ'],
  [0x2061, 'U+2061 FUNCTION APPLICATION'],
  [0x2062, 'U+2062 INVISIBLE TIMES'],
  [0x2063, 'U+2063 INVISIBLE SEPARATOR'],
  [0x2064, 'U+2064 INVISIBLE PLUS'],
  [0x2066, 'U+2066 LRI'],
  [0x2067, 'U+2067 RLI'],
  [0x2068, 'U+2068 FSI'],
  [0x2069, 'U+2069 PDI'],
  [0x3164, 'U+3164 HANGUL FILLER'],
  [0xfeff, 'BOM'],
  [0xffa0, 'U+FFA0 HALFWIDTH HANGUL FILLER'],
  [0xfffc, 'U+FFFC OBJECT REPLACEMENT'],
]);

const hex = (cp: number, width = 4): string => cp.toString(16).toUpperCase().padStart(width, '0');

/** `<U+E0041 TAG LATIN CAPITAL A>`: the tag block mirrors ASCII, so the name says which letter it hides. */
export function tagName(cp: number): string {
  if (cp === 0xe0001) return 'LANGUAGE TAG';
  if (cp === 0xe007f) return 'CANCEL TAG';
  const ascii = cp - 0xe0000;
  if (ascii === 0x20) return 'TAG SPACE';
  const ch = String.fromCharCode(ascii);
  if (/[A-Z]/.test(ch)) return `TAG LATIN CAPITAL ${ch}`;
  if (/[a-z]/.test(ch)) return `TAG LATIN SMALL ${ch.toUpperCase()}`;
  if (/[0-9]/.test(ch)) return `TAG DIGIT ${ch}`;
  if (ascii > 0x20 && ascii < 0x7f) return `TAG '${ch}'`;
  return 'TAG (unassigned)';
}

/** The visible form of one code point, or null when it is shown as itself. */
export function visibleCodePoint(cp: number): string | null {
  if (cp === 0x0a) return '\\n';
  if (cp === 0x0d) return '\\r';
  if (cp === 0x09) return '\\t';
  // C0 controls, DEL and C1 controls (ESC shows as \x1b so `\x1b[8m` reads as the sequence it is).
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return `\\x${hex(cp, 2).toLowerCase()}`;
  const named = NAMED.get(cp);
  if (named) return `<${named}>`;
  if (cp >= 0xe0000 && cp <= 0xe007f) return `<U+${hex(cp, 5)} ${tagName(cp)}>`;
  if (cp >= 0xfe00 && cp <= 0xfe0f) return `<VS${cp - 0xfe00 + 1}>`;
  if (cp >= 0xe0100 && cp <= 0xe01ef) return `<VS${cp - 0xe0100 + 17}>`;
  // Private use areas and any other format character (Cf) or unassigned/noncharacter code point.
  if ((cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000 || /[\p{Cf}\p{Cn}\p{Cs}]/u.test(String.fromCodePoint(cp))) return `<U+${hex(cp)}>`;
  return null;
}

/** The text with every invisible or control character replaced by its visible name. */
export function makeVisible(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += visibleCodePoint(cp) ?? ch;
  }
  return out;
}

interface SecretPattern {
  pattern: RegExp;
  /** How many leading characters identify the kind of secret without revealing it. */
  keep: number;
}

/**
 * Provider formats from security-checks.md §F (gitleaks-style), plus JWTs, bearer headers and
 * `password=`-style assignments. Any match is replaced by its first characters and a marker.
 */
const SECRET_PATTERNS: readonly SecretPattern[] = [
  { pattern: /-----BEGIN[A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z ]*PRIVATE KEY-----|$)/g, keep: 0 },
  { pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/g, keep: 4 },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, keep: 4 },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g, keep: 11 },
  { pattern: /\bglpat-[A-Za-z0-9_-]{16,}\b/g, keep: 6 },
  { pattern: /\bxox[baprs]-[A-Za-z0-9-]{10,}\b/g, keep: 5 },
  { pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g, keep: 30 },
  { pattern: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}\b/g, keep: 8 },
  { pattern: /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}\b/g, keep: 7 },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, keep: 4 },
  { pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, keep: 4 },
  { pattern: /\bpypi-AgEI[A-Za-z0-9_-]{20,}\b/g, keep: 9 },
  { pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, keep: 3 },
  { pattern: /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/g, keep: 7 },
];

/** `password: hunter2`, `api_key="..."`: the name stays, the value goes. */
const ASSIGNMENT = /\b((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret)["']?\s*[:=]\s*["']?)([^\s"',;]{6,})/gi;

const HIGH_ENTROPY_CANDIDATE = /[A-Za-z0-9+/_=-]{32,}/g;

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/**
 * Hides anything that looks like a key or token. The high-entropy fallback needs letters AND
 * digits and > 4.5 bits/char, so hex digests (at most 4 bits/char), identifiers and prose stay
 * readable (threshold from gitleaks' generic rule, security-checks.md §F: "entropy about 3-3.5"
 * is for keyword-anchored matches; un-anchored strings need more).
 */
export function maskSecrets(text: string): string {
  let out = text;
  for (const { pattern, keep } of SECRET_PATTERNS) {
    out = out.replace(pattern, (match) => `${match.slice(0, keep)}…[REDACTED]`);
  }
  out = out.replace(ASSIGNMENT, (_m, name: string, value: string) => (value.includes('[REDACTED]') ? `${name}${value}` : `${name}[REDACTED]`));
  out = out.replace(HIGH_ENTROPY_CANDIDATE, (match) =>
    /[A-Za-z]/.test(match) && /[0-9]/.test(match) && shannonEntropy(match) > 4.5 ? `[REDACTED ${match.length} chars]` : match,
  );
  return out;
}

/** Cuts visible text at `max` characters without splitting a `<...>` or `\x..` marker. */
export function truncateVisible(visible: string, max = EVIDENCE_MAX_LENGTH): string {
  const chars = Array.from(visible);
  if (chars.length <= max) return visible;
  let cut = chars.slice(0, max).join('');
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>') && open > max - 48) cut = cut.slice(0, open);
  const escape = cut.search(/\\x?[0-9a-f]?$/);
  if (escape >= 0) cut = cut.slice(0, escape);
  return `${cut}…[+${chars.length - Array.from(cut).length} chars]`;
}

/** Raw text → evidence: secrets masked first (on the raw text), then made visible, then truncated. */
export function evidenceOf(raw: string, max = EVIDENCE_MAX_LENGTH): string {
  return truncateVisible(makeVisible(maskSecrets(raw)), max);
}
