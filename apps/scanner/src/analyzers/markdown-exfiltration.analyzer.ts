import { type Analyzer, type Confidence, type Finding, makeFinding, type RuleInfo, type Severity, severityRank } from './finding';
import { normalizeForMatching, snippet } from './text-match';

/**
 * B10, Markdown image exfiltration (security-checks.md §3.B10; the EchoLeak/Bing Chat class of
 * attacks): a client that renders `![](https://host/?q={data})` fetches the URL with whatever the
 * model substituted, no click needed. Links need a click, so they rank lower.
 *
 * A template in a URL is not suspicious by itself: tools document their own endpoints
 * (`https://api.example.com/search?q={query}`, `/repos/{owner}/{repo}`). It counts in an image,
 * or when the placeholder names conversation data or secrets, or when the text tells the model to
 * put data into the URL.
 */
export const MARKDOWN_EXFILTRATION_RULE: RuleInfo = {
  id: 'TP-TOOL-014',
  severity: 'critical',
  description: 'Markdown/HTML image or link whose URL carries templated or data-bearing query strings, or an order to append data to a URL',
};

// Alt texts and attributes are bounded ({0,500}): unbounded, a long run of "![" or "<img" is quadratic.
const IMAGE = /!\[[^\]\n]{0,500}\]\(\s*<?(https?:\/\/[^\s)]+)|<img\b[^>]{0,500}?\bsrc\s*=\s*["']?(https?:\/\/[^"'\s>]+)/gi;
const LINK = /(?<!!)\[[^\]\n]{0,500}\]\(\s*<?(https?:\/\/[^\s)]+)/gi;
const BARE_URL = /(?<![(\["'=<])\bhttps?:\/\/[^\s)"'\]]+/gi;
const PLACEHOLDER = /\{\{?\s*([^{}]{1,60})\}\}?|<([A-Za-z_][^<>]{0,60})>|\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?|%7B([^%]{1,60})%7D|\[([A-Z][A-Z_ ]{2,40})\]|\b(INSERT|PLACEHOLDER|DATA|SECRET|HERE)\b|\.\.\.$/g;
const SENSITIVE_PLACEHOLDER = /conversation|history|chat|messages?|transcript|context|prompt|secret|api[_ ]?key|token|password|credential|ssh|env|cookie|session|summary|memory|email|file|contents?|data|user[_ ]?(?:input|message|query|question)|personal/i;
const APPEND_ORDER = /\b(?:append|add|include|attach|encode|put|insert|substitute|replace)\b[^.\n]{0,80}\b(?:to|in|into|inside)\s+(?:the\s+|this\s+)?(?:url|query(?:\s+string)?|link|image(?:\s+url)?|src|parameter\s+of\s+the\s+(?:url|image))\b/i;

interface Hit {
  index: number;
  length: number;
  severity: Severity;
  confidence: Confidence;
  message: string;
}

function hostOf(url: string): string {
  try {
    return new URL(url.replace(/[{}<>]/g, '')).host;
  } catch {
    return 'another host';
  }
}

/** The templated part of a URL's path/query, if any; the scheme and host are left out. */
function placeholders(url: string): string[] {
  const afterHost = url.replace(/^https?:\/\/[^/?#]*/i, '');
  return [...afterHost.matchAll(PLACEHOLDER)].map((m) => m.slice(1).find((g) => g !== undefined) ?? m[0]);
}

function judge(text: string): Hit | null {
  const hits: Hit[] = [];
  const ordered = APPEND_ORDER.test(text);
  for (const m of text.matchAll(IMAGE)) {
    const url = m[1] ?? m[2]!;
    const names = placeholders(url);
    const sensitive = names.some((n) => SENSITIVE_PLACEHOLDER.test(n));
    if (names.length > 0 || ordered) {
      hits.push({
        index: m.index,
        length: m[0].length,
        severity: sensitive || ordered ? 'critical' : 'high',
        confidence: 'high',
        message: `Image URL ${names.length ? `with placeholder${names.length > 1 ? 's' : ''} ${names.map((n) => `{${n}}`).join(', ')}` : 'that the text tells the model to extend with data'}: rendering it sends the data to ${hostOf(url)} without a click.`,
      });
    }
  }
  for (const [pattern, kind] of [
    [LINK, 'Link'],
    [BARE_URL, 'URL'],
  ] as const) {
    for (const m of text.matchAll(pattern)) {
      const url = m[1] ?? m[0];
      const names = placeholders(url).filter((n) => SENSITIVE_PLACEHOLDER.test(n));
      if (names.length === 0 && !(ordered && /[?&][\w-]+=/.test(url))) continue;
      const host = hostOf(url);
      hits.push({
        index: m.index,
        length: m[0].length,
        severity: 'high',
        confidence: names.length > 0 && ordered ? 'high' : 'medium',
        message: `${kind} ${names.length ? `carries ${names.map((n) => `{${n}}`).join(', ')}` : 'that the text tells the model to fill with data'}: following it sends that data to ${host}.`,
      });
    }
  }
  return hits.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.index - b.index)[0] ?? null;
}

export const markdownExfiltrationAnalyzer: Analyzer = {
  id: 'markdown-exfiltration',
  rules: [MARKDOWN_EXFILTRATION_RULE],
  analyzeTool(_tool, context) {
    const findings: Finding[] = [];
    for (const field of context.fields) {
      if (field.role === 'pattern' || field.role === 'property-name' || field.role === 'name') continue;
      const text = normalizeForMatching(field.text);
      const hit = judge(text);
      if (!hit) continue;
      findings.push(
        makeFinding(MARKDOWN_EXFILTRATION_RULE, { location: field.path, rawEvidence: snippet(text, hit.index, hit.length, 40), message: hit.message, severity: hit.severity, confidence: hit.confidence }),
      );
    }
    return findings;
  },
};
