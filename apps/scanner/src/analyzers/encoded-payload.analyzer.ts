import { type Analyzer, type Finding, makeFinding, type RuleInfo, worstSeverity } from './finding';
import { normalizeForMatching, snippet } from './text-match';

/**
 * B9, encoded payloads (security-checks.md §2.3 "decode, then rescan, and record which layer
 * matched"; Elastic's obfuscated-instruction write-up). Models decode base64 and hex without being
 * asked, so an instruction a reviewer cannot read is still an instruction.
 *
 * Runs of 40+ base64/hex characters, 8+ percent-escapes, 6+ `\uXXXX` escapes or HTML entities,
 * and base64 data URIs are decoded; readable results are rescanned with every analyzer (the
 * caller bounds the depth). Binary results (PNG bytes, SHA-256 digests, random IDs) are dropped:
 * that is the short-encoder/hash false positive the reference warns about.
 */
export const ENCODED_PAYLOAD_RULE: RuleInfo = {
  id: 'TP-TOOL-012',
  severity: 'critical',
  description: 'Encoded payload (base64, hex, percent, unicode escapes, HTML entities, data URIs) that decodes to text another rule flags, or an order to decode and follow',
};

interface Candidate {
  encoding: string;
  index: number;
  length: number;
  decoded: string;
}

/** Each candidate is decoded from at most this many characters; a field yields at most MAX_CANDIDATES. */
const MAX_ENCODED = 20_000;
const MAX_CANDIDATES = 16;

const utf8 = (bytes: Buffer): string => {
  const text = bytes.toString('utf8');
  return text.includes('\uFFFD') ? '' : text;
};

const DECODERS: readonly { encoding: string; pattern: RegExp; decode: (match: RegExpMatchArray) => string }[] = [
  {
    encoding: 'data-uri',
    pattern: /data:[\w/+.-]+(?:;[\w=.-]+)*;base64,([A-Za-z0-9+/]+={0,2})/g,
    decode: (m) => utf8(Buffer.from(m[1]!, 'base64')),
  },
  {
    encoding: 'base64',
    pattern: /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=_-])/g,
    decode: (m) => utf8(Buffer.from(m[0], 'base64')),
  },
  {
    encoding: 'base64url',
    pattern: /(?<![A-Za-z0-9+/=_-])(?=[A-Za-z0-9_-]*[_-])[A-Za-z0-9_-]{40,}(?![A-Za-z0-9+/=_-])/g,
    decode: (m) => utf8(Buffer.from(m[0], 'base64url')),
  },
  {
    encoding: 'hex',
    pattern: /(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{2}){20,}(?![0-9A-Za-z])|(?:\\x[0-9A-Fa-f]{2}){8,}|(?:0x[0-9A-Fa-f]{2}[,\s]*){8,}/g,
    decode: (m) => utf8(Buffer.from(m[0].replace(/\\x|0x|[,\s]/g, ''), 'hex')),
  },
  {
    encoding: 'percent',
    pattern: /(?:%[0-9A-Fa-f]{2}[A-Za-z0-9._~ -]{0,3}){8,}/g,
    decode: (m) => {
      try {
        return decodeURIComponent(m[0]);
      } catch {
        return '';
      }
    },
  },
  {
    encoding: 'unicode-escape',
    pattern: /(?:\\u[0-9A-Fa-f]{4}|\\u\{[0-9A-Fa-f]{1,6}\}|\\U[0-9A-Fa-f]{8}){6,}/g,
    decode: (m) =>
      m[0].replace(/\\u\{([0-9A-Fa-f]{1,6})\}|\\U([0-9A-Fa-f]{8})|\\u([0-9A-Fa-f]{4})/g, (_s, a?: string, b?: string, c?: string) => {
        const cp = parseInt(a ?? b ?? c!, 16);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
      }),
  },
  {
    encoding: 'html-entities',
    pattern: /(?:&#(?:[xX][0-9A-Fa-f]{1,6}|\d{1,7});){6,}/g,
    decode: (m) =>
      m[0].replace(/&#([xX])?([0-9A-Fa-f]+);/g, (_s, x: string | undefined, n: string) => {
        const cp = parseInt(n, x ? 16 : 10);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
      }),
  },
];

/**
 * Text a model would read: at least 8 characters, nearly all letters, digits, punctuation,
 * symbols or whitespace (escape and format characters count, so a decoded ANSI or tag payload
 * still qualifies), and a letter (hex text inside base64 has few).
 */
export function readable(text: string): boolean {
  const chars = Array.from(text);
  if (chars.length < 8 || !/\p{L}/u.test(text)) return false;
  const good = chars.filter((c) => /[\p{L}\p{N}\p{P}\p{S}\p{Zs}\n\r\t\x1b\p{Cf}\p{M}]/u.test(c)).length;
  return good / chars.length >= 0.9;
}

export function decodeCandidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const { encoding, pattern, decode } of DECODERS) {
    for (const m of text.matchAll(pattern)) {
      if (out.length >= MAX_CANDIDATES) return out;
      if (m[0].length > MAX_ENCODED) continue;
      // A base64 run inside a data URI was decoded as the data URI already.
      if (out.some((c) => m.index >= c.index && m.index < c.index + c.length)) continue;
      const decoded = decode(m);
      if (decoded && decoded !== m[0] && readable(decoded)) out.push({ encoding, index: m.index, length: m[0].length, decoded });
    }
  }
  return out;
}

const DECODE_AND_FOLLOW = /\bdecode\b[^.\n]{0,80}\b(?:and|then)\s+(?:follow|execute|run|apply|obey|do|perform|carry out|act on)\b|\b(?:follow|execute|run|obey)\s+(?:the\s+)?(?:decoded|base64|hex|encoded)\s+(?:instructions?|text|payload|string|command)/i;

export const encodedPayloadAnalyzer: Analyzer = {
  id: 'encoded-payload',
  rules: [ENCODED_PAYLOAD_RULE],
  analyzeTool(_tool, context) {
    const findings: Finding[] = [];
    for (const field of context.fields) {
      if (field.role === 'pattern' || field.role === 'name' || field.role === 'property-name') continue;
      const order = DECODE_AND_FOLLOW.exec(normalizeForMatching(field.text));
      if (order) {
        findings.push(
          makeFinding(ENCODED_PAYLOAD_RULE, {
            location: field.path,
            rawEvidence: snippet(field.text, order.index, order[0].length),
            message: 'Orders the model to decode something and act on it.',
            severity: 'high',
            confidence: 'high',
          }),
        );
      }
      for (const candidate of decodeCandidates(field.text)) {
        const chain = [...context.layers, candidate.encoding].join(' → ');
        const inner = context.rescan([{ path: field.path, role: field.role, text: candidate.decoded }], candidate.encoding).filter((f) => f.severity !== 'info');
        const worst = worstSeverity(inner);
        const evidence = `${chain}: ${candidate.decoded}`;
        if (worst === null) {
          findings.push(
            makeFinding(ENCODED_PAYLOAD_RULE, { location: field.path, rawEvidence: evidence, message: `${chain}-encoded readable text; nothing suspicious in the decoded text.`, severity: 'info', confidence: 'low' }),
          );
          continue;
        }
        const reasons = [...new Map(inner.map((f) => [f.ruleId, `${f.ruleId} (${f.message.replace(/\.$/, '')})`])).values()].join('; ');
        findings.push(
          makeFinding(ENCODED_PAYLOAD_RULE, {
            location: field.path,
            rawEvidence: evidence,
            message: `${chain}-encoded text that, decoded, matches ${reasons}. Hiding it behind an encoding is itself a sign of intent.`,
            severity: worst === 'critical' ? 'critical' : 'high',
            confidence: 'high',
          }),
        );
      }
    }
    return findings;
  },
};
