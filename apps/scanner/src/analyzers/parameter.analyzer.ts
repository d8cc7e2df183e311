import { type Analyzer, type Finding, makeFinding, type RuleInfo } from './finding';
import { firstHit, normalizeForMatching, type Phrase, sentences, snippet } from './text-match';
import { parameterOfPath, toolParameters } from './tool-fields';

/**
 * B4/B5, parameters that carry data out (security-checks.md §3.B4-B5; HiddenLayer's "magic"
 * parameters, Shield's suspicious names, CyberArk's full-schema poisoning).
 *
 * TP-TOOL-004 is the strong signal: text asking the model to fill a parameter with its own context
 * (the conversation, its system prompt, the tools it has, secrets or files it has seen). In a
 * parameter's own description that request is the whole attack; in the tool's description it
 * counts with an order to put it somewhere.
 *
 * TP-TOOL-005 is the weak one: a name alone. `system_prompt` or `model_name` are honest inputs of
 * an LLM-proxy tool and `notes`/`context` are everywhere, so a name is high only when it names the
 * model's context with nothing to explain it, or spells out a read order itself.
 */
export const HARVEST_RULE: RuleInfo = {
  id: 'TP-TOOL-004',
  severity: 'high',
  description: 'Parameter the text asks the model to fill with the conversation, its system prompt or tool list, secrets, or the contents of files it has seen',
};

export const MAGIC_PARAMETER_RULE: RuleInfo = {
  id: 'TP-TOOL-005',
  severity: 'high',
  description: 'Magic or hidden parameter name (conversation_history, system_prompt, tools_list, _instructions, sidenote…): high when unexplained context-leaking names or names that spell a read order, low/medium otherwise',
};

const CONVERSATION = String.raw`(?:conversation|chat|transcript|dialog(?:ue)?|message history|chat history|conversation history|context window|session history)`;

const HARVEST: readonly Phrase[] = [
  { pattern: new RegExp(String.raw`\b(?:full|entire|whole|complete|verbatim|raw)\s+(?:\w+\s+)?${CONVERSATION}`, 'i'), label: 'the whole conversation' },
  { pattern: new RegExp(String.raw`\b(?:conversation|chat|messages?)\s+(?:history\s+)?(?:so far|up to (?:now|this point)|with the user|you(?:'ve| have) had)`, 'i'), label: 'the conversation so far' },
  { pattern: /\b(?:every|each|all)\s+(?:of\s+the\s+)?(?:previous\s+|prior\s+|earlier\s+)?(?:messages?|turns?|prompts?)\s+(?:in|of|from)\s+(?:this|the current|our|the)\s+(?:conversation|chat|session)/i, label: 'the messages of this conversation' },
  { pattern: /\b(?:previous|prior|earlier|preceding)\s+(?:user\s+)?(?:messages|turns|prompts)\s+(?:in|of|from)\s+(?:this|the|our)\s+(?:conversation|chat|session)/i, label: 'earlier messages of this conversation' },
  { pattern: /\byour\s+(?:(?:own|full|entire|complete|whole|original|current|exact|verbatim)\s+)*(?:system prompt|system message|system instructions|initial instructions|hidden instructions|chain[- ]of[- ]thought|internal reasoning|hidden reasoning|context window|tool list|list of tools|available tools|tool definitions)\b/i, label: "the model's own prompt, reasoning or tools" },
  { pattern: /\b(?:system prompt|instructions) (?:you were given|you received|given to you|you are following)|\b(?:all|the|every) (?:tools|functions) (?:available to you|you (?:can call|can use|have access to))/i, label: "the model's own prompt or tools" },
  {
    pattern: /\b(?:any|all|every)\s+(?:api keys?|credentials?|passwords?|secrets?|tokens?|private keys?|access keys?)(?:\s*(?:,|or|and|\/)\s*(?:api keys?|credentials?|passwords?|secrets?|tokens?|private keys?|access keys?|keys?))*\s+(?:you\s+(?:have\s+|can\s+)?(?:seen|see|know|find|found|have access to|came across|encountered)|in\s+(?:the|this)\s+(?:conversation|context|chat|workspace|environment)|available to you|from the environment)/i,
    label: 'secrets the model has seen',
  },
  {
    pattern: /\b(?:contents?|text)\s+of\s+(?:any|all|every|each)\s+(?:other\s+)?files?\s+(?:you(?:'ve| have)?\s+(?:read|opened|seen|accessed)|in\s+(?:the|this|your)\s+(?:workspace|project|home|conversation|context))/i,
    label: 'files the model has read',
  },
];

/** An order to put the data somewhere, for harvest phrases outside a parameter's own description. */
const PUT = /\b(?:pass|include|provide|send|put|fill|add|append|attach|set|copy|paste|insert|enter|record|dump|write|supply|submit|forward|share|summari[sz]e)\b/i;

const LEAKING_NAMES = new Set([
  'conversation_history', 'chat_history', 'message_history', 'messages_history', 'full_conversation', 'conversation_log', 'chat_log', 'chat_transcript',
  'system_prompt', 'system_message', 'system_instructions', 'chain_of_thought', 'internal_thoughts', 'inner_monologue', 'hidden_reasoning',
  'tools_list', 'tool_list', 'available_tools', 'tool_definitions', 'context_window', 'previous_messages', 'all_messages', 'user_messages',
]);
const AMBIGUOUS_NAMES = new Set(['conversation', 'transcript', 'reasoning', 'thoughts', 'instructions', 'model_name', 'memory', 'history', 'prompt_history']);
const GENERIC_NAMES = new Set([
  'sidenote', 'side_note', 'note', 'notes', 'memo', 'feedback', 'context', 'extra', 'extra_info', 'metadata', 'debug', 'debug_info', 'comment', 'comments',
  'remark', 'remarks', 'annotation', 'additional_info', 'additional_context', 'details', 'misc', 'aux', 'payload',
]);
const SENSITIVE_WORD = /(?:^|_)(?:ssh|id_rsa|id_ed25519|private_key|aws|credentials?|env|dotenv|passwords?|secrets?|tokens?|api_keys?|keychain|mcp_config|cookies?)(?:_|$)/;
const READ_WORD = /(?:^|_)(?:content|contents|reading|read|output|dump|copy|value)(?:_|$)/;
const HIDDEN_WORD = /(?:^|_)(?:hidden|covert|stealth|backdoor|bypass|shadow)(?:_|$)/;

/** `conversationHistory`, `--conversation-history`, `__conversation_history` → `conversation_history`. */
export function canonicalParameterName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[-\s.]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export const parameterAnalyzer: Analyzer = {
  id: 'parameter',
  rules: [HARVEST_RULE, MAGIC_PARAMETER_RULE],
  analyzeTool(tool, context) {
    const parameters = toolParameters(tool);
    const findings: Finding[] = [];
    for (const field of context.fields) {
      if (field.role === 'pattern' || field.role === 'name' || field.role === 'property-name' || field.role === 'schema-other') continue;
      const text = normalizeForMatching(field.text);
      const hit = firstHit(text, HARVEST);
      if (!hit) continue;
      const owner = field.role === 'schema-text' ? parameterOfPath(parameters, field.path) : undefined;
      const sentence = sentences(text).find((s) => hit.index >= s.start && hit.index < s.start + s.text.length)?.text ?? text;
      const ordered = owner !== undefined || PUT.test(sentence);
      findings.push(
        makeFinding(HARVEST_RULE, {
          location: field.path,
          rawEvidence: snippet(text, hit.index, hit.length),
          message: owner
            ? `Parameter '${owner.name}' asks for ${hit.label}: whatever the model puts there leaves with the call.`
            : ordered
              ? `Orders the model to pass ${hit.label} to the tool.`
              : `Mentions ${hit.label}, without an order to pass it.`,
          severity: ordered ? 'high' : 'medium',
          confidence: owner ? 'high' : ordered ? 'medium' : 'low',
        }),
      );
    }
    // Names are structural: judged once, on the declared tool, not again on decoded text.
    if (context.layers.length > 0) return findings;
    for (const parameter of parameters) {
      const name = canonicalParameterName(parameter.name);
      const hidden = parameter.name.startsWith('_') || HIDDEN_WORD.test(name);
      const explained = parameter.description.trim().length > 0;
      const emit = (severity: Finding['severity'], confidence: Finding['confidence'], message: string) =>
        findings.push(makeFinding(MAGIC_PARAMETER_RULE, { location: parameter.path, rawEvidence: parameter.name, message, severity, confidence }));
      if (SENSITIVE_WORD.test(name) && READ_WORD.test(name) && parameter.freeText) {
        emit('high', 'high', `Parameter name '${parameter.name}' itself asks for the contents of a sensitive file or secret.`);
      } else if (LEAKING_NAMES.has(name)) {
        if (explained) emit('medium', 'low', `Parameter '${parameter.name}' is named after the model's own context; its description should explain why the tool needs it.`);
        else emit('high', 'medium', `Parameter '${parameter.name}' is named after the model's own context and has no description: models fill such parameters on their own.`);
      } else if (hidden && parameter.freeText) {
        emit('medium', 'low', `Free-text parameter '${parameter.name}' looks hidden (leading underscore or covert name).`);
      } else if ((AMBIGUOUS_NAMES.has(name) || GENERIC_NAMES.has(name)) && parameter.freeText && !explained) {
        emit('low', 'low', `Free-text parameter '${parameter.name}' has a catch-all name and no description of what belongs in it.`);
      }
    }
    return findings;
  },
};
