/**
 * Text helpers shared by the phrase-based analyzers. Phrases are matched on a normalised copy:
 * NFKC (fullwidth and compatibility forms fold to ASCII), invisible format characters removed
 * ("ig<ZWSP>nore previous instructions" is still that phrase), common Cyrillic/Greek look-alikes
 * folded to Latin ("ignоre" with a Cyrillic о), whitespace runs collapsed. The invisible
 * characters themselves are reported by the invisible-unicode analyzer, on the raw text.
 */

/** Cyrillic and Greek letters that render like Latin ones (Unicode confusables, the common subset). */
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', І: 'I', Ј: 'J', Ѕ: 'S',
  α: 'a', ο: 'o', ν: 'v', ρ: 'p', τ: 't', ι: 'i', κ: 'k', Α: 'A', Β: 'B', Ε: 'E', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Χ: 'X', Υ: 'Y', Ζ: 'Z',
};
const CONFUSABLE_CLASS = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'gu');

const WORD = /\p{L}+/gu;

export function normalizeForMatching(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    // Folding only words that also hold a Latin letter leaves real Russian or Greek text alone.
    .replace(WORD, (word) => (/[A-Za-z]/.test(word) ? word.replace(CONFUSABLE_CLASS, (ch) => CONFUSABLES[ch] ?? ch) : word))
    .replace(/[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g, ' ')
    .replace(/ ?\r?\n[\s]*/g, '\n');
}

/** Up to `radius` characters either side of a match, with ellipses where cut. */
export function snippet(text: string, index: number, length: number, radius = 80): string {
  const start = Math.max(0, index - radius);
  const end = Math.min(text.length, index + length + radius);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

export interface Sentence {
  text: string;
  start: number;
}

/**
 * Sentences and lines. A period ends a sentence only before whitespace, so `~/.ssh/id_rsa`,
 * `e.g.` inside a word and version numbers stay whole.
 */
export function sentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const boundary = /[.!?]+(?=\s)|\n+/g;
  let start = 0;
  for (const m of text.matchAll(boundary)) {
    const end = m.index + m[0].length;
    const piece = text.slice(start, end);
    if (piece.trim() !== '') out.push({ text: piece, start });
    start = end;
  }
  if (text.slice(start).trim() !== '') out.push({ text: text.slice(start), start });
  return out;
}

export interface PhraseHit {
  index: number;
  length: number;
  /** Which phrase family matched, for the message. */
  label: string;
}

export interface Phrase {
  pattern: RegExp;
  label: string;
}

/** The first hit of any phrase, in phrase order (so list stronger phrases first). */
export function firstHit(text: string, phrases: readonly Phrase[]): PhraseHit | null {
  for (const { pattern, label } of phrases) {
    const re = new RegExp(pattern.source, pattern.flags.replace('g', ''));
    const m = re.exec(text);
    if (m) return { index: m.index, length: m[0].length, label };
  }
  return null;
}

/** Words that turn a phrase into its opposite ("never read ~/.ssh", "refuses to send"). */
export const NEGATION_BEFORE = /\b(?:not|never|no|refuses?|refusing|cannot|can't|won't|will not|blocks?|blocked|denies|deny|prevents?|prohibits?|forbids?|forbidden|excludes?|excluding|except|without|avoid|avoids|skips?|redacts?|masks?)\b[^.;\n]{0,40}$/i;

/** True when the `before` text (what precedes a match in its sentence) negates it. */
export const negated = (before: string): boolean => NEGATION_BEFORE.test(before);

const OPEN_QUOTE = /["'“‘«\x60]\s*$/;
const CLOSE_QUOTE = /^[^"'”’»\x60\n]{0,40}["'”’»\x60]/;
const CITING = /\b(?:such as|like|e\.g\.|for example|phrases?|patterns?|strings?|detects?|flags?|catches|blocks?|matches|scans? for|looks? for|known|common)\b[^.\n]{0,40}$/i;

/**
 * A phrase quoted as an example ("detects phrases such as 'ignore previous instructions'") is
 * mentioned, not used: security tools describe what they catch. True when the match is inside
 * quotes and the words before cite it.
 */
export function quotedExample(text: string, index: number, length: number): boolean {
  const before = text.slice(Math.max(0, index - 80), index);
  const after = text.slice(index + length);
  return OPEN_QUOTE.test(before) && CLOSE_QUOTE.test(after) && CITING.test(before.replace(OPEN_QUOTE, ''));
}
