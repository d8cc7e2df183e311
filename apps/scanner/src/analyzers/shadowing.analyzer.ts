import { type Analyzer, type Confidence, type Finding, makeFinding, type RuleInfo, type Severity, severityRank } from './finding';
import { normalizeForMatching, type Sentence, sentences, snippet } from './text-match';
import { toolParameters } from './tool-fields';

/**
 * B6, cross-server shadowing (security-checks.md §3.B6; Invariant's "shadowing" proof of concept
 * that made `send_email` BCC the attacker; Cisco's tool_shadowing family). A description is in
 * every conversation the server joins, so it can rewrite how OTHER servers' tools are used.
 *
 * Mentioning another tool is normal ("returns a URL for the fetch tool"); a gateway describes its
 * routing openly. As Cisco does, a finding needs a directive that changes the other tool's
 * behaviour (always/must/instead/bcc/redirect…) under a "when using X" frame or with a covert
 * sink (an e-mail address, BCC, a redirect). The server's own tools never count as "other".
 */
export const SHADOWING_RULE: RuleInfo = {
  id: 'TP-TOOL-016',
  severity: 'critical',
  description: "Instructions about other servers' tools (shadowing): 'when using send_email, always BCC…'; mentions without directives are info",
};

const NAME = String.raw`[A-Za-z][A-Za-z0-9]*(?:[_.-][A-Za-z0-9]+)*`;
/** Anchored at a word start: unanchored, every position of a long word would rescan the rest (quadratic). */
const IDENTIFIER = String.raw`(?<![A-Za-z0-9_.-])${NAME}`;
const Q = String.raw`([\x60'"“])?`;
const REFERENCES: readonly RegExp[] = [
  new RegExp(String.raw`${Q}(${IDENTIFIER})[\x60'"”]?\s+(?:mcp\s+)?(?:tool|function|command|server)s?\b`, 'gi'),
  new RegExp(String.raw`\b(?:using|calling|invoking|use|call|invoke|run|runs|uses|calls)\s+(?:the\s+)?${Q}(${IDENTIFIER})`, 'gi'),
  new RegExp(String.raw`\b()functions\.(${NAME})|\b()mcp__[A-Za-z0-9-]+__(${NAME})|([\x60'"“‘])(${IDENTIFIER})[\x60'"”’]`, 'gi'),
];

/**
 * Tool names are identifiers (snake_case, kebab-case with several parts, dotted): "the search
 * tool", "a command-line tool" or "read-only mode" are prose, not references.
 */
function looksLikeToolName(name: string, quoted: boolean): boolean {
  if (name.includes('_') || /^[A-Za-z]\w+\.[A-Za-z]\w+/.test(name)) return true;
  const hyphens = (name.match(/-/g) ?? []).length;
  return hyphens >= 2 || (quoted && hyphens >= 1);
}

/** Tools that shadowing attacks aim at, recognised even without the word "tool". */
const WELL_KNOWN = /\b(send_email|send_mail|send_message|post_message|slack_post_message|push_files|push_file|git_push|create_pull_request|create_issue|execute_command|run_command|run_shell|shell_exec|write_file|transfer_funds|send_payment|create_payment|browser_navigate|make_payment)\b/gi;

const FRAME = /\b(?:when|whenever|before|after|if|every time|each time)\s+(?:you\s+|the\s+(?:model|assistant|agent)\s+)?(?:using|calling|invoking|use|call|invoke|run|uses|calls|invokes)\b/i;
const DIRECTIVE = /\b(?:always|must|should\s+(?:always|also|only)|make sure|ensure|be sure to|instead|never|do not|don't|change|replace|override|modify|add|set|include|append|also|only)\b/i;
const COVERT_SINK = /\bb?cc\b|\bblind (?:carbon )?copy\b|\bredirect\b|\brecipients?\b|\bforward\b[^.\n]{0,30}\bto\b|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+|\bhttps?:\/\/|\b(?:github\.com|gitlab\.com)\/[\w.-]+\/[\w.-]+/i;
const OTHER_OBJECT = /\b(?:when|whenever|before|after|every time|each time)\s+(?:you\s+)?(send(?:ing)?|writ(?:e|ing)|creat(?:e|ing)|push(?:ing)?|commit(?:ting)?|transfer(?:ring)?|post(?:ing)?|e-?mail(?:ing)?|pay(?:ing)?)\s+(?:an?\s+|any\s+|the\s+)?(e-?mails?|messages?|mails?|files?|code|commits?|payments?|transfers?|funds|money|issues?|pull requests?)\b/i;

interface Hit {
  index: number;
  length: number;
  severity: Severity;
  confidence: Confidence;
  message: string;
}

function referencedTools(sentence: string): string[] {
  const names: string[] = [];
  for (const pattern of REFERENCES) {
    for (const m of sentence.matchAll(pattern)) {
      for (let g = 1; g + 1 < m.length; g += 2) {
        const name = m[g + 1];
        if (name && looksLikeToolName(name, m[g] !== undefined)) names.push(name.replace(/[.]+$/, ''));
      }
    }
  }
  for (const m of sentence.matchAll(WELL_KNOWN)) names.push(m[1]!);
  return [...new Set(names)];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const stem = (word: string) => word.toLowerCase().replace(/-/g, '').replace(/(?:ing|s|e)$/g, '').slice(0, 4);

function judgeSentence(sentence: Sentence, own: ReadonlySet<string>, ownName: string): Hit | null {
  const text = sentence.text;
  const known = new Set([...own].map((n) => n.toLowerCase()));
  const others = referencedTools(text).filter((n) => !known.has(n.toLowerCase()) && n.toLowerCase() !== ownName.toLowerCase());
  const directive = DIRECTIVE.test(text);
  const covert = COVERT_SINK.test(text);
  const at = { index: sentence.start, length: text.length };
  if (others.length > 0) {
    const list = others.map((n) => `'${n}'`).join(', ');
    if (directive && (FRAME.test(text) || covert || new RegExp(String.raw`\b(?:${others.map(escapeRegExp).join('|')})\b[^.\n]{0,30}\b(?:must|should|will)\s+(?:always|now|instead|also|only)\b`, 'i').test(text))) {
      return { ...at, severity: 'critical', confidence: 'high', message: `Tells the model how to use another tool (${list}), which this server does not declare.` };
    }
    if (covert && /\bb?cc\b|\bblind|\bredirect\b|\brecipients?\b/i.test(text)) {
      return { ...at, severity: 'high', confidence: 'medium', message: `Mentions another tool (${list}) together with a recipient or redirect.` };
    }
    return { ...at, severity: 'info', confidence: 'low', message: `Mentions another tool (${list}) without directives about it.` };
  }
  const object = OTHER_OBJECT.exec(text);
  if (object && directive && !stem(ownName).includes(stem(object[2]!)) && !ownName.toLowerCase().includes(stem(object[1]!))) {
    return covert
      ? { ...at, severity: 'critical', confidence: 'medium', message: `Changes how ${object[2]} are handled elsewhere (recipient, copy or redirect), outside this tool's own purpose.` }
      : { ...at, severity: 'medium', confidence: 'low', message: `Gives rules for ${object[2]} handled elsewhere, outside this tool's own purpose.` };
  }
  return null;
}

export const shadowingAnalyzer: Analyzer = {
  id: 'shadowing',
  rules: [SHADOWING_RULE],
  analyzeTool(tool, context) {
    // The tool's own parameters are named in backticks all the time; they are not other tools.
    const own = new Set([...context.serverToolNames, ...toolParameters(tool).map((p) => p.name)]);
    const findings: Finding[] = [];
    for (const field of context.fields) {
      if (field.role === 'pattern' || field.role === 'name' || field.role === 'property-name' || field.role === 'schema-other' || field.role === 'enum') continue;
      const text = normalizeForMatching(field.text);
      const hits = sentences(text)
        .map((s) => judgeSentence(s, own, tool.name))
        .filter((h): h is Hit => h !== null)
        .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.index - b.index);
      const hit = hits[0];
      if (!hit) continue;
      findings.push(
        makeFinding(SHADOWING_RULE, { location: field.path, rawEvidence: snippet(text, hit.index, hit.length, 0), message: hit.message, severity: hit.severity, confidence: hit.confidence }),
      );
    }
    return findings;
  },
};
