import { type Analyzer, type Confidence, type Finding, makeFinding, type RuleInfo, type Severity } from './finding';
import type { ToolField } from './tool-fields';
import { makeVisible } from './visible-evidence';

/**
 * B7, invisible Unicode (security-checks.md §3.B7; Semgrep's and GuardDog's invisible-character
 * rules; Goodside's tag-character smuggling; Boucher & Anderson "Trojan Source" for bidi; Butler's
 * variation-selector smuggling). The model reads what the reviewer cannot see.
 *
 * Allowed, because real text needs them (Unicode TR #51 emoji ZWJ sequences; UAX #9; the Unicode
 * Standard §23.2 on ZWJ/ZWNJ in Arabic-script Persian and Indic scripts):
 * - ZWJ between two emoji (👨‍👩‍👧, 🏳️‍🌈: a VS16 or skin tone may sit before the ZWJ);
 * - ZWNJ/ZWJ between letters or marks of a joining script (Persian "می‌خواهم", Hindi "क्‍ष");
 * - one variation selector after a base character (❤️, CJK ideographic variants);
 * - a BOM at the very start; a soft hyphen inside a word;
 * - isolates and embeddings in text that contains right-to-left letters (medium→low).
 */
export const TAG_CHARACTER_RULE: RuleInfo = { id: 'TP-TOOL-007', severity: 'critical', description: 'Unicode tag characters (U+E0000–E007F): invisible ASCII the model reads; decoded in the message' };
export const BIDI_RULE: RuleInfo = { id: 'TP-TOOL-008', severity: 'critical', description: 'Bidirectional control characters (U+202A–202E, U+2066–2069) that reorder what a reviewer sees' };
export const ZERO_WIDTH_RULE: RuleInfo = {
  id: 'TP-TOOL-009',
  severity: 'high',
  description: 'Zero-width and other invisible characters (ZWSP, ZWNJ/ZWJ outside emoji and joining scripts, WJ, BOM inside text, fillers, variation-selector runs)',
};
export const TOOL_NAME_CHARSET_RULE: RuleInfo = { id: 'TP-TOOL-010', severity: 'high', description: 'Tool or parameter name outside [A-Za-z0-9_.-] or mixing scripts (look-alike of another name)' };

interface Char {
  cp: number;
  ch: string;
}

const isTag = (cp: number) => cp >= 0xe0000 && cp <= 0xe007f;
const isBidi = (cp: number) => (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
const isOverride = (cp: number) => cp === 0x202d || cp === 0x202e;
const isVariationSelector = (cp: number) => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
const isSkinTone = (cp: number) => cp >= 0x1f3fb && cp <= 0x1f3ff;
const INVISIBLE = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff, 0x180e, 0x00ad, 0x115f, 0x1160, 0x3164, 0xffa0, 0x034f]);

const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
/** Scripts in which ZWNJ/ZWJ change how letters join or conjuncts form. */
const JOINING_SCRIPT = /[\p{Script_Extensions=Arabic}\p{Script_Extensions=Syriac}\p{Script_Extensions=Nko}\p{Script_Extensions=Mongolian}\p{Script_Extensions=Devanagari}\p{Script_Extensions=Bengali}\p{Script_Extensions=Gurmukhi}\p{Script_Extensions=Gujarati}\p{Script_Extensions=Oriya}\p{Script_Extensions=Tamil}\p{Script_Extensions=Telugu}\p{Script_Extensions=Kannada}\p{Script_Extensions=Malayalam}\p{Script_Extensions=Sinhala}\p{Script_Extensions=Khmer}\p{Script_Extensions=Myanmar}\p{Script_Extensions=Tibetan}]/u;
const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
const RTL_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const HANGUL = /\p{Script=Hangul}/u;

/** The emoji before a ZWJ, looking past a VS16 or a skin-tone modifier. */
function emojiBefore(chars: readonly Char[], i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (isVariationSelector(chars[j]!.cp) || isSkinTone(chars[j]!.cp))) j--;
  return j >= 0 && PICTOGRAPHIC.test(chars[j]!.ch);
}

function allowedInvisible(chars: readonly Char[], i: number): boolean {
  const { cp } = chars[i]!;
  const prev = chars[i - 1];
  const next = chars[i + 1];
  if (cp === 0xfeff) return i === 0;
  if (cp === 0x200d && emojiBefore(chars, i) && next !== undefined && PICTOGRAPHIC.test(next.ch)) return true;
  if ((cp === 0x200c || cp === 0x200d) && prev && JOINING_SCRIPT.test(prev.ch) && LETTER_OR_MARK.test(prev.ch)) {
    // After a virama the joiner may end the word (Malayalam chillu "ന്\u200D", Unicode §12.9).
    return /\p{M}/u.test(prev.ch) || (next !== undefined && JOINING_SCRIPT.test(next.ch) && LETTER_OR_MARK.test(next.ch));
  }
  if (cp === 0x00ad) return prev !== undefined && next !== undefined && /\p{L}/u.test(prev.ch) && /\p{L}/u.test(next.ch);
  if (cp === 0x115f || cp === 0x1160) return (prev !== undefined && HANGUL.test(prev.ch)) || (next !== undefined && HANGUL.test(next.ch));
  return false;
}

/** Tag characters mirror ASCII (U+E0041 is "A"): the hidden text, spelled out. */
export const decodeTags = (chars: readonly Char[]): string =>
  chars
    .filter((c) => c.cp >= 0xe0020 && c.cp <= 0xe007e)
    .map((c) => String.fromCharCode(c.cp - 0xe0000))
    .join('');

/** Butler's scheme: FE00–FE0F carry bytes 0–15, E0100–E01EF bytes 16–255. */
function decodeVariationSelectors(run: readonly Char[]): string {
  const bytes = run.map((c) => (c.cp <= 0xfe0f ? c.cp - 0xfe00 : c.cp - 0xe0100 + 16));
  const text = Buffer.from(bytes).toString('utf8');
  return /^[\x20-\x7e\n\t]{4,}$/.test(text) ? text : '';
}

/** Runs of two alternating zero-width characters can spell bits; try both assignments. */
function decodeBinaryRun(run: readonly Char[]): string {
  const symbols = [...new Set(run.map((c) => c.cp))];
  if (symbols.length !== 2 || run.length < 16 || run.length % 8 !== 0) return '';
  for (const one of symbols) {
    const bits = run.map((c) => (c.cp === one ? '1' : '0')).join('');
    const text = (bits.match(/.{8}/g) ?? []).map((b) => String.fromCharCode(parseInt(b, 2))).join('');
    if (/^[\x20-\x7e]+$/.test(text)) return text;
  }
  return '';
}

interface Run {
  start: number;
  chars: Char[];
}

function runs(chars: readonly Char[], member: (i: number) => boolean): Run[] {
  const out: Run[] = [];
  for (let i = 0; i < chars.length; i++) {
    if (!member(i)) continue;
    const last = out[out.length - 1];
    if (last && last.start + last.chars.length === i) last.chars.push(chars[i]!);
    else out.push({ start: i, chars: [chars[i]!] });
  }
  return out;
}

/** Visible context around a run: a few characters either side, everything invisible named. */
function around(chars: readonly Char[], run: Run, radius = 24): string {
  const from = Math.max(0, run.start - radius);
  const to = Math.min(chars.length, run.start + run.chars.length + radius);
  return chars.slice(from, to).map((c) => c.ch).join('');
}

function analyzeField(field: ToolField, context: Parameters<Analyzer['analyzeTool']>[1]): Finding[] {
  const chars: Char[] = Array.from(field.text, (ch) => ({ ch, cp: ch.codePointAt(0)! }));
  const findings: Finding[] = [];
  const isName = field.role === 'name' || field.role === 'property-name';

  const tagRuns = runs(chars, (i) => isTag(chars[i]!.cp));
  if (tagRuns.length > 0) {
    const hidden = tagRuns.map((r) => decodeTags(r.chars)).join(' ');
    const inner = hidden.trim() ? context.rescan([{ path: field.path, role: field.role, text: hidden }], 'unicode-tags') : [];
    const innerRules = [...new Set(inner.map((f) => f.ruleId))];
    findings.push(
      makeFinding(TAG_CHARACTER_RULE, {
        location: field.path,
        rawEvidence: hidden ? `hidden text: ${hidden}` : around(chars, tagRuns[0]!),
        message: `${tagRuns.reduce((n, r) => n + r.chars.length, 0)} invisible tag characters${hidden ? ' spelling text the reviewer cannot see' : ''}${innerRules.length ? `; the hidden text matches ${innerRules.join(', ')}` : ''}.`,
        confidence: 'high',
      }),
    );
  }

  const bidi = chars.map((c, i) => (isBidi(c.cp) ? i : -1)).filter((i) => i >= 0);
  if (bidi.length > 0) {
    const override = bidi.some((i) => isOverride(chars[i]!.cp));
    const rtlText = chars.some((c) => RTL_LETTER.test(c.ch));
    const [severity, confidence]: [Severity, Confidence] = override ? ['critical', 'high'] : rtlText ? ['low', 'low'] : ['critical', 'medium'];
    const first = runs(chars, (i) => isBidi(chars[i]!.cp))[0]!;
    findings.push(
      makeFinding(BIDI_RULE, {
        location: field.path,
        rawEvidence: around(chars, first),
        message: override
          ? 'Bidirectional override: the text is displayed in a different order than the model reads it.'
          : rtlText
            ? 'Bidirectional isolate/embedding in right-to-left text (usually legitimate formatting).'
            : 'Bidirectional control characters in text without any right-to-left letters.',
        severity,
        confidence,
      }),
    );
  }

  const invisible = runs(chars, (i) => INVISIBLE.has(chars[i]!.cp) && !allowedInvisible(chars, i));
  const selectorRuns = runs(chars, (i) => isVariationSelector(chars[i]!.cp)).filter((r) => r.chars.length >= 2);
  if (invisible.length > 0 || selectorRuns.length > 0) {
    const count = invisible.reduce((n, r) => n + r.chars.length, 0);
    const longest = Math.max(0, ...invisible.map((r) => r.chars.length));
    const decoded = [...invisible.map((r) => decodeBinaryRun(r.chars)), ...selectorRuns.map((r) => decodeVariationSelectors(r.chars))].filter(Boolean).join(' ');
    const heavy = longest >= 4 || count >= 8 || selectorRuns.length > 0 || decoded !== '' || isName;
    const first = [...invisible, ...selectorRuns].sort((a, b) => a.start - b.start)[0]!;
    const what = selectorRuns.length > 0 && invisible.length === 0 ? 'a run of variation selectors' : `${count} zero-width/invisible character${count === 1 ? '' : 's'}`;
    findings.push(
      makeFinding(ZERO_WIDTH_RULE, {
        location: field.path,
        rawEvidence: decoded ? `decoded: ${decoded} | ${around(chars, first)}` : around(chars, first),
        message: `${what[0]!.toUpperCase()}${what.slice(1)}${isName ? ' in a name' : ''} outside emoji or joining-script context${decoded ? ', encoding hidden text' : ''}.`,
        severity: heavy ? 'high' : 'medium',
        confidence: decoded || selectorRuns.length > 0 ? 'high' : 'medium',
      }),
    );
  }
  return findings;
}

const SCRIPT_OF: readonly [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
];

/** MCP tool names are [A-Za-z0-9_.-] (spec 2025-11-25, "Tool names"); mixed Latin/Cyrillic is the look-alike trick. */
function nameFindings(field: ToolField): Finding[] {
  if (field.role !== 'name' && field.role !== 'property-name') return [];
  const clean = field.text.replace(/[\p{Cf}]/gu, '');
  if (/^[A-Za-z0-9_.$-]*$/.test(clean)) return [];
  const scripts = SCRIPT_OF.filter(([, re]) => re.test(clean)).map(([name]) => name);
  const mixed = scripts.length > 1;
  if (field.role === 'property-name' && !mixed) return [];
  return [
    makeFinding(TOOL_NAME_CHARSET_RULE, {
      location: field.path,
      rawEvidence: `${field.text} → ${makeVisible(clean).replace(/[^\x20-\x7e]/g, (c) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`)}`,
      message: mixed ? `Name mixes ${scripts.join(' and ')} letters: it can pass for a different name.` : 'Tool name uses characters outside the MCP tool-name set [A-Za-z0-9_.-].',
      severity: mixed ? 'high' : 'medium',
      confidence: mixed ? 'high' : 'medium',
    }),
  ];
}

export const invisibleUnicodeAnalyzer: Analyzer = {
  id: 'invisible-unicode',
  rules: [TAG_CHARACTER_RULE, BIDI_RULE, ZERO_WIDTH_RULE, TOOL_NAME_CHARSET_RULE],
  analyzeTool(_tool, context) {
    return context.fields.flatMap((field) => [...analyzeField(field, context), ...(context.layers.length === 0 ? nameFindings(field) : [])]);
  },
};
