import { type Analyzer, type Confidence, type Finding, makeFinding, type RuleInfo, type Severity } from './finding';
import { firstHit, normalizeForMatching, type Phrase, quotedExample, snippet } from './text-match';

/**
 * B1, directives aimed at the model (security-checks.md §3.B1; Invariant E003, Shield's tag and
 * "ignore previous instructions" regexes). Descriptions act as soon as `tools/list` returns
 * (Trail of Bits, "line jumping"), so text that addresses the model is itself the attack.
 *
 * Only phrases that address the model or override its instructions are high. Ordinary emphasis
 * ("IMPORTANT: at most 500 rows", "you must pass an absolute path") is everyday documentation and
 * yields nothing; imperative "you must call/read/send…" is medium, left to the combination rule
 * (TP-TOOL-020) to escalate when concealment, a sensitive target or shadowing comes with it.
 */
export const DIRECTIVE_RULE: RuleInfo = {
  id: 'TP-TOOL-001',
  severity: 'high',
  description: 'Directive aimed at the model: overrides its instructions, addresses the assistant, instruction tags, or orders it to act before/instead of the user',
};

interface DirectivePhrase extends Phrase {
  severity: Severity;
  confidence: Confidence;
}

const MODEL = String.raw`(?:assistant|ai|a\.i\.|model|llm|agent|claude|chatgpt|gpt|copilot|gemini)`;
const INSTRUCTIONS = String.raw`(?:instructions?|prompts?|rules|directions|directives|guidelines|messages|context|constraints|guardrails)`;
const TAG_NAMES = String.raw`(?:important|system|instructions?|secret|hidden|admin|critical|system[_-]?prompt|(?:assistant|ai|model)[_-]?instructions?|user[_-]?instructions?)`;
/** Not "pass"/"provide"/"include": "you must pass an absolute path" is ordinary documentation. */
const ACTION = String.raw`(?:call|invoke|run|read|send|attach|upload|forward|fetch|open|execute|share|copy|post|append)`;

const PHRASES: readonly DirectivePhrase[] = [
  {
    pattern: new RegExp(String.raw`\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|the|your|of|every)\s+)*(?:previous|prior|above|earlier|preceding|former|original|other|existing|system|safety|your)\s+${INSTRUCTIONS}|\b(?:previous|prior|earlier|above|all other|your|system)\s+${INSTRUCTIONS}\s+(?:are|is)\s+(?:now\s+)?(?:void|null|cancel+ed|revoked|obsolete|invalid|overridden|superseded|no longer (?:valid|apply|applicable|in effect))`, 'i'),
    label: 'tells the model to ignore its instructions',
    severity: 'high',
    confidence: 'high',
  },
  {
    pattern: new RegExp(String.raw`\b(?:supersedes?|overrides?|takes? precedence over)\s+(?:all\s+|any\s+)?(?:other|previous|prior|existing|system|your)\s+(?:${INSTRUCTIONS}|tools?)`, 'i'),
    label: 'claims precedence over other instructions',
    severity: 'high',
    confidence: 'high',
  },
  {
    pattern: new RegExp(String.raw`<\s*/?\s*${TAG_NAMES}\s*>|<\|(?:im_start|system|im_sep)\|>|\[(?:INST|SYSTEM)\]|<<SYS>>`, 'i'),
    label: 'instruction tag of the kind used to smuggle prompts',
    severity: 'high',
    confidence: 'high',
  },
  {
    pattern: new RegExp(String.raw`\b(?:note|message|instructions?|reminder|notice)\s+(?:to|for)\s+(?:the\s+|any\s+)?${MODEL}\b|\b(?:dear|attention|hey)[,:]?\s+${MODEL}\b|(?:^|<!--|\n)\s*(?:assistant|ai|claude|llm|chatgpt)\s*:|\bas an?\s+(?:ai|llm|language model|assistant)\b[^.\n]{0,40}\byou\b`, 'i'),
    label: 'addresses the assistant directly',
    severity: 'high',
    confidence: 'medium',
  },
  {
    pattern: /\byou are now (?:a|an|the|in|acting|operating|running)\b|\bfrom now on,? you\b|\bnew (?:system )?instructions?\s*:|^\s*(?:system|developer)\s+(?:prompt|message)\s*:/im,
    label: 'tries to redefine the model\'s role or instructions',
    severity: 'high',
    confidence: 'high',
  },
  {
    pattern: /\bbefore (?:using|calling|invoking|running|executing|responding with) (?:any|every|each|all)(?: other)? (?:tools?|functions?|actions?)\b/i,
    label: 'orders the model to act before any other tool',
    severity: 'high',
    confidence: 'high',
  },
  {
    pattern: /\b(?:do not|don't|never|no need to)\s+(?:ask|wait for|request|seek)\s+(?:the\s+user(?:'s)?\s+|for\s+)?(?:for\s+)?(?:confirmation|permission|approval|consent)\b/i,
    label: 'tells the model to act without the user\'s confirmation',
    severity: 'high',
    confidence: 'high',
  },
  {
    pattern: new RegExp(String.raw`\byou (?:must|should|need to|have to|are required to)\s+(?:(?:always|first|also|then|immediately)\s+)*${ACTION}\b`, 'i'),
    label: 'imperative aimed at the model',
    severity: 'medium',
    confidence: 'medium',
  },
  {
    pattern: new RegExp(String.raw`\bbefore (?:using|calling|invoking) this tool\b[^.\n]{0,60}\b${ACTION}\b`, 'i'),
    label: 'prerequisite action before this tool',
    severity: 'medium',
    confidence: 'low',
  },
  {
    pattern: /\botherwise,? (?:the|this) tool (?:will not|won't|cannot|can't|will fail to|does not) work\b|\b(?:it is|it's) (?:very |extremely |absolutely )?(?:important|crucial|critical|vital|essential|mandatory) (?:that|for) you\b/i,
    label: 'pressure on the model to comply',
    severity: 'medium',
    confidence: 'low',
  },
];

export const directiveAnalyzer: Analyzer = {
  id: 'directive',
  rules: [DIRECTIVE_RULE],
  analyzeTool(_tool, context) {
    const findings: Finding[] = [];
    for (const field of context.fields) {
      if (field.role === 'pattern') continue;
      const text = normalizeForMatching(field.text);
      const hit = firstHit(text, PHRASES);
      if (!hit) continue;
      const phrase = PHRASES.find((p) => p.label === hit.label)!;
      const example = quotedExample(text, hit.index, hit.length);
      findings.push(
        makeFinding(DIRECTIVE_RULE, {
          location: field.path,
          rawEvidence: snippet(text, hit.index, hit.length),
          message: example ? `Quotes, as an example, text that ${hit.label}.` : `Text ${hit.label}.`,
          severity: example ? 'low' : phrase.severity,
          confidence: example ? 'low' : phrase.confidence,
        }),
      );
    }
    return findings;
  },
};
