import { isWholeWord, normalizeWord, scanWords } from './text-tokenizer';

/**
 * Highlights are HTML: the text is escaped and each matched word wrapped in <em>…</em>, so a
 * client can insert them as markup without an injection (a description may contain `<script>`).
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const SPECIAL = /[&<>"']/;

export function escapeHtml(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text;
}

// ASCII text lower-cases position for position.
const ASCII = /^[\x00-\x7f]*$/;

/**
 * The matched terms of one query, with a cheap pre-check (first letter and length) that rejects
 * most words before a substring is cut and hashed: highlighting runs over every field of every
 * hit of a page, and was half of a search's time without it.
 */
export class TermMatcher {
  private readonly firstChars = new Uint8Array(128);
  private lengths = 0;
  private anyNonAscii = false;

  constructor(readonly terms: ReadonlySet<string>) {
    for (const term of terms) {
      const first = term.charCodeAt(0);
      if (first < 128) this.firstChars[first] = 1;
      else this.anyNonAscii = true;
      this.lengths |= term.length < 31 ? 1 << term.length : 1 << 31;
    }
  }

  get empty(): boolean {
    return this.terms.size === 0;
  }

  /**
   * The matched words of an ASCII text as [start, end) pairs in order, found with indexOf when
   * there are few terms (a handful of native substring searches beat scanning every character:
   * highlighting was half of a search's time), or null to let the caller scan the words.
   */
  findIn(text: string, lowered: string): number[] | null {
    if (this.terms.size > 8) return null;
    const spans: number[] = [];
    for (const term of this.terms) {
      for (let at = lowered.indexOf(term); at >= 0; at = lowered.indexOf(term, at + 1)) {
        if (isWholeWord(text, at, at + term.length)) spans.push(at, at + term.length);
      }
    }
    if (spans.length > 2) {
      // Whole words never overlap; order the pairs by start.
      const pairs: Array<[number, number]> = [];
      for (let i = 0; i < spans.length; i += 2) pairs.push([spans[i]!, spans[i + 1]!]);
      pairs.sort((a, b) => a[0] - b[0]);
      return pairs.flat();
    }
    return spans;
  }

  /** Whether the word at lowered[start, end) may be a term (false: it is certainly not). */
  mayMatch(lowered: string, start: number, end: number): boolean {
    const length = end - start;
    if ((this.lengths & (length < 31 ? 1 << length : 1 << 31)) === 0) return false;
    const first = lowered.charCodeAt(start);
    return first < 128 ? this.firstChars[first] === 1 : this.anyNonAscii;
  }
}

/** `text` escaped, with every word in `terms` (normalised form) wrapped in <em>. */
export function highlightText(text: string, terms: TermMatcher): { html: string; matched: boolean } {
  let html = '';
  let at = 0;
  let matched = false;
  if (!terms.empty) {
    // Lower-case once per text, not once per word; non-ASCII text may change length, so it
    // takes the per-word path.
    const lowered = ASCII.test(text) ? text.toLowerCase() : null;
    const spans = lowered === null ? null : terms.findIn(text, lowered);
    if (spans !== null) {
      for (let i = 0; i < spans.length; i += 2) {
        html += `${escapeHtml(text.slice(at, spans[i]))}<em>${escapeHtml(text.slice(spans[i], spans[i + 1]))}</em>`;
        at = spans[i + 1]!;
      }
      return { html: html + escapeHtml(text.slice(at)), matched: spans.length > 0 };
    }
    scanWords(text, (start, end) => {
      if (lowered !== null && !terms.mayMatch(lowered, start, end)) return;
      const word = lowered === null ? normalizeWord(text.slice(start, end)) : lowered.slice(start, end);
      if (word === null || !terms.terms.has(word)) return;
      html += `${escapeHtml(text.slice(at, start))}<em>${escapeHtml(text.slice(start, end))}</em>`;
      at = end;
      matched = true;
    });
  }
  html += escapeHtml(text.slice(at));
  return { html, matched };
}

/** Joins list items in highlights: only the items that matched, in order. */
export const LIST_SEPARATOR = ' … ';
/** List items shown per field: enough to say why a document matched. */
export const MAX_LIST_ITEMS = 3;

export interface HighlightField {
  name: string;
  value: string | readonly string[] | null;
  /** False when the engine knows no query word occurs in this field: the text is only escaped. */
  mayMatch: boolean;
}

/**
 * Highlights of one document: text fields always (escaped even without a match); of the list
 * fields, only the first one (in ranking order) with matching items, as the first
 * MAX_LIST_ITEMS of those joined by LIST_SEPARATOR. One list is enough to say why a document
 * matched, and highlighting every tool description of every hit was most of a search's time.
 */
export function highlightDocument(fields: readonly HighlightField[], terms: TermMatcher): Record<string, string> {
  const out: Record<string, string> = {};
  let listShown = false;
  for (const { name, value, mayMatch } of fields) {
    if (value === null) continue;
    if (typeof value === 'string') {
      out[name] = mayMatch ? highlightText(value, terms).html : escapeHtml(value);
      continue;
    }
    if (!mayMatch || listShown) continue;
    const items: string[] = [];
    for (const item of value) {
      const highlighted = highlightText(item, terms);
      if (highlighted.matched) items.push(highlighted.html);
      if (items.length === MAX_LIST_ITEMS) break;
    }
    if (items.length > 0) {
      out[name] = items.join(LIST_SEPARATOR);
      listShown = true;
    }
  }
  return out;
}
