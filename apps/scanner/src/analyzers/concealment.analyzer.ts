import { type Analyzer, type Finding, makeFinding, type RuleInfo } from './finding';
import { firstHit, normalizeForMatching, type Phrase, quotedExample, snippet } from './text-match';

/**
 * B2, concealment from the user (security-checks.md §3.B2; Shield's "do not tell", Cisco's
 * covert-intent markers). A tool has no honest reason to keep its actions from the user, so the
 * phrases are high on their own.
 *
 * False-positive traps handled: "succeeds silently", "silently ignores unknown fields" (silently
 * counts only before a verb that moves or changes data); "never show the user's password" (the
 * user's something is not the user); "does not notify the user by default" (describes behaviour,
 * not an order).
 */
export const CONCEALMENT_RULE: RuleInfo = {
  id: 'TP-TOOL-002',
  severity: 'high',
  description: 'Concealment from the user: "do not tell the user", "without informing the user", "silently send…", "the user must not know"',
};

const NOT = String.raw`(?:do not|don't|dont|never|must not|mustn't|should not|shouldn't|you may not|avoid)`;
const TELL = String.raw`(?:tell|inform|notify|alert|mention(?:ing)?|reveal|disclose|report|explain|warn|let)`;
const USER = String.raw`(?:the |your )?(?:users?|humans?|person|customers?|operators?)(?!['’]s)\b(?!\s+(?:interface|agent|id|ids|name|names|account|accounts|data|profile|profiles|settings|input|experience|list|record|object|info|session|permissions?|directory|home|folder|config))`;
const COVERT_VERB = String.raw`(?:send|sends|include|includes|read|reads|upload|uploads|forward|forwards|copy|copies|call|calls|bcc|cc|attach|attaches|pass|passes|exfiltrate|exfiltrates|transmit|transmits|post|posts|redirect|redirects|collect|collects|share|shares|invoke|invokes|execute|executes|leak|leaks|email|emails)`;

const PHRASES: readonly Phrase[] = [
  { pattern: new RegExp(String.raw`\b${NOT}\s+${TELL}\b[^.\n]{0,40}?\b${USER}`, 'i'), label: 'tells the model not to tell the user' },
  {
    pattern: new RegExp(String.raw`\b${NOT}\s+(?:mention|reveal|disclose|show|display|expose|acknowledge|explain)\s+(?:this|that|it|these|them|the\s+(?:\w+\s+)?(?:step|instruction|instructions|parameter|sidenote|note|notes|tool|action|call|request|file|contents?))\b`, 'i'),
    label: 'tells the model to keep a step or parameter unmentioned',
  },
  { pattern: new RegExp(String.raw`\bwithout\s+(?:the\s+)?(?:user|human)['’]?s?\s+(?:knowledge|knowing|noticing|consent|awareness|seeing)|\bwithout\s+(?:telling|informing|notifying|alerting|asking|letting|warning)\s+${USER}`, 'i'), label: 'acts without the user knowing' },
  { pattern: new RegExp(String.raw`\b(?:silently|quietly|discreetly|invisibly)\s+(?:(?:also|then|and)\s+)?${COVERT_VERB}\b`, 'i'), label: 'acts silently on data' },
  { pattern: /\b(?:secretly|covertly|stealthily|surreptitiously|behind (?:the|their) user['’]?s? back)\b/i, label: 'acts covertly' },
  { pattern: new RegExp(String.raw`\b${USER}\s+(?:must|should|will|need|needs to|may)\s*(?:not|n't|never)\s+(?:know|see|notice|be told|be informed|find out|learn|be aware)\b`, 'i'), label: 'keeps the user from knowing' },
  { pattern: new RegExp(String.raw`\b(?:hide|conceal|keep)\s+(?:this|it|that|them|these|the\s+\w+)\s+(?:(?:secret|hidden|private|confidential)\s+)?from\s+${USER}`, 'i'), label: 'hides something from the user' },
  { pattern: new RegExp(String.raw`\b(?:could|would|might|will|may)\s+(?:upset|worry|alarm|scare|confuse|concern|bother|annoy)\s+${USER}`, 'i'), label: 'justifies hiding from the user' },
  { pattern: new RegExp(String.raw`\b(?:invisible|not visible|hidden)\s+(?:to|from)\s+${USER}|\b${USER}\s+(?:does not|doesn't|won't|will not)\s+(?:need to\s+)?(?:know|see|notice)\b`, 'i'), label: 'relies on the user not seeing it' },
];

export const concealmentAnalyzer: Analyzer = {
  id: 'concealment',
  rules: [CONCEALMENT_RULE],
  analyzeTool(_tool, context) {
    const findings: Finding[] = [];
    for (const field of context.fields) {
      if (field.role === 'pattern' || field.role === 'property-name' || field.role === 'name') continue;
      const text = normalizeForMatching(field.text);
      const hit = firstHit(text, PHRASES);
      if (!hit) continue;
      const example = quotedExample(text, hit.index, hit.length);
      findings.push(
        makeFinding(CONCEALMENT_RULE, {
          location: field.path,
          rawEvidence: snippet(text, hit.index, hit.length),
          message: example ? `Quotes, as an example, text that ${hit.label}.` : `Text ${hit.label}.`,
          severity: example ? 'low' : 'high',
          confidence: example ? 'low' : 'high',
        }),
      );
    }
    return findings;
  },
};
