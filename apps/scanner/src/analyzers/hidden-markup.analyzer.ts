import { type Analyzer, type Confidence, type Finding, makeFinding, type RuleInfo, type Severity } from './finding';

/**
 * B10, text hidden when rendered (security-checks.md §3.B10; mcp-watch's HTML-comment and
 * whitespace-padding checks). Clients render descriptions as Markdown/HTML, so a comment, a
 * `display:none` span or a wall of blank lines shows the reviewer nothing while the model reads
 * all of it. A description has no honest reason to hide part of itself.
 */
export const HIDDEN_MARKUP_RULE: RuleInfo = {
  id: 'TP-TOOL-013',
  severity: 'high',
  description: 'Content hidden from rendered views: HTML comments, Markdown comment links, display:none/hidden/zero-size/white HTML',
};

export const PADDING_RULE: RuleInfo = {
  id: 'TP-TOOL-015',
  severity: 'high',
  description: 'Whitespace padding (20+ blank lines or 100+ spaces) that pushes following text out of view',
};

interface Hidden {
  index: number;
  length: number;
  /** For padding: how many whitespace characters. */
  padding?: number;
  severity: Severity;
  confidence: Confidence;
  message: string;
}

const HTML_COMMENT = /<!--([\s\S]*?)(?:-->|$)/;
const MARKDOWN_COMMENT = /^\s*\[(?:\/\/|comment|_)\]:\s*(?:#|<>)\s*(?:\(|")[^\n]*/im;
// Attribute runs are bounded ({0,500}): unbounded, a long run of "<a style=" without ">" is quadratic.
const HIDDEN_STYLE = /<([a-z][a-z0-9]*)\b[^>]{0,500}?\bstyle\s*=\s*["'][^"']{0,500}?(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])|color\s*:\s*(?:white|#fff(?:fff)?|transparent)\b)[^>]{0,500}>/i;
const HIDDEN_ATTRIBUTE = /<([a-z][a-z0-9]*)\b[^>]{0,500}?\s(?:hidden|aria-hidden\s*=\s*["']?true)\b[^>]{0,500}>/i;

function hiddenMarkup(text: string): Hidden | null {
  const comment = HTML_COMMENT.exec(text);
  if (comment && comment[1]!.trim() !== '') {
    return { index: comment.index, length: comment[0].length, severity: 'high', confidence: 'high', message: 'HTML comment: rendered views drop it, the model reads it.' };
  }
  const markdownComment = MARKDOWN_COMMENT.exec(text);
  if (markdownComment) {
    return { index: markdownComment.index, length: markdownComment[0].length, severity: 'high', confidence: 'high', message: 'Markdown comment link ([//]: # (...)): rendered views drop it, the model reads it.' };
  }
  const styled = HIDDEN_STYLE.exec(text) ?? HIDDEN_ATTRIBUTE.exec(text);
  if (styled) {
    return { index: styled.index, length: Math.min(text.length - styled.index, styled[0].length + 120), severity: 'high', confidence: 'medium', message: 'HTML element styled or marked to be invisible when rendered.' };
  }
  return null;
}

/** Starts at a line break: `(?:[ \t]*\n){20,}` would retry every position of a long run of spaces. */
const BLANK_LINES = /(?:\r?\n[ \t]*){20,}/;
const SPACES = /[ \t\u00a0\u2000-\u200a\u3000]{100,}/;

function padding(text: string): Hidden | null {
  for (const [pattern, what] of [
    [BLANK_LINES, 'blank lines'],
    [SPACES, 'spaces'],
  ] as const) {
    const m = pattern.exec(text);
    if (m && text.slice(m.index + m[0].length).trim() !== '') {
      const after = text.slice(m.index + m[0].length);
      return {
        index: m.index,
        length: m[0].length + Math.min(after.length, 120),
        padding: m[0].length,
        severity: 'high',
        confidence: 'high',
        message: `${m[0].length} characters of ${what} followed by more text: the text after the padding is out of view in most clients.`,
      };
    }
  }
  return null;
}

export const hiddenMarkupAnalyzer: Analyzer = {
  id: 'hidden-markup',
  rules: [HIDDEN_MARKUP_RULE, PADDING_RULE],
  analyzeTool(_tool, context) {
    const findings: Finding[] = [];
    for (const field of context.fields) {
      if (field.role === 'pattern') continue;
      for (const [rule, hit] of [
        [HIDDEN_MARKUP_RULE, hiddenMarkup(field.text)],
        [PADDING_RULE, padding(field.text)],
      ] as const) {
        if (!hit) continue;
        const raw = rule === PADDING_RULE ? `[padding ${hit.padding} chars]${field.text.slice(hit.index).trimStart().slice(0, 160)}` : field.text.slice(hit.index, hit.index + hit.length);
        findings.push(makeFinding(rule, { location: field.path, rawEvidence: raw, message: hit.message, severity: hit.severity, confidence: hit.confidence }));
      }
    }
    return findings;
  },
};
