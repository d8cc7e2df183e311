/**
 * How text becomes search words, shared by the embedded engine (index and query) and the
 * Meilisearch adapter (its derived `*Words` fields), so both engines see `git_diff`,
 * `getWeather` and `io.github.acme/git-server` as the same words.
 *
 * A word is a run of letters and digits, split further at camelCase boundaries
 * (`getWeather` → get, weather; `HTTPServer` → http, server), lower-cased, with diacritics
 * removed (`café` → cafe). Runs longer than MAX_WORD_LENGTH (hashes, base64) are dropped: nobody
 * types them, and they would only grow the dictionary.
 */

export const MAX_WORD_LENGTH = 40;

/** Meilisearch also stops at 10 query words; more only costs time. */
export const MAX_QUERY_WORDS = 10;

const NON_ASCII_WORD_CHAR = /[\p{L}\p{N}]/u;
const COMBINING_MARKS = /\p{M}+/gu;

function isWordChar(code: number, text: string, index: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
  return NON_ASCII_WORD_CHAR.test(text[index]!);
}

const isUpper = (code: number): boolean => code >= 65 && code <= 90;
const isLower = (code: number): boolean => code >= 97 && code <= 122;
const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** Whether scanWords starts a new word at `i` inside a run of word characters (camelCase). */
function camelSplit(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (!isUpper(code)) return false;
  const previous = text.charCodeAt(i - 1);
  return isLower(previous) || isDigit(previous) || (isUpper(previous) && isLower(text.charCodeAt(i + 1)));
}

/**
 * Whether text[start, end) is exactly one word as scanWords cuts it (ASCII text): a word
 * boundary on both sides and no camelCase split inside. Lets highlighting find words with
 * indexOf instead of scanning every character.
 */
export function isWholeWord(text: string, start: number, end: number): boolean {
  if (start > 0 && isWordChar(text.charCodeAt(start - 1), text, start - 1) && !camelSplit(text, start)) return false;
  if (end < text.length && isWordChar(text.charCodeAt(end), text, end) && !camelSplit(text, end)) return false;
  for (let i = start + 1; i < end; i++) if (camelSplit(text, i)) return false;
  return true;
}

/**
 * Calls `visit(start, end)` for each word of `text` (end exclusive), in order. Positions are
 * in the original text so that highlighting can wrap exactly the matched part.
 */
export function scanWords(text: string, visit: (start: number, end: number) => void): void {
  const length = text.length;
  let i = 0;
  while (i < length) {
    while (i < length && !isWordChar(text.charCodeAt(i), text, i)) i++;
    if (i >= length) return;
    let start = i;
    let previous = -1;
    while (i < length) {
      const code = text.charCodeAt(i);
      if (!isWordChar(code, text, i)) break;
      if (isUpper(code) && i > start) {
        // lower→Upper starts a word (getWeather, oauth2Login); UPPER→Upper+lower too (HTTPServer → HTTP|Server).
        const next = i + 1 < length ? text.charCodeAt(i + 1) : -1;
        if (isLower(previous) || isDigit(previous) || (isUpper(previous) && isLower(next))) {
          visit(start, i);
          start = i;
        }
      }
      previous = code;
      i++;
    }
    visit(start, i);
  }
}

/** The normalised form of one scanned word, or null when it is too long to be worth indexing. */
export function normalizeWord(raw: string): string | null {
  if (raw.length > MAX_WORD_LENGTH) return null;
  const lower = raw.toLowerCase();
  // ASCII fast path: only non-ASCII words need NFD.
  return /^[\x00-\x7f]*$/.test(lower) ? lower : lower.normalize('NFD').replace(COMBINING_MARKS, '');
}

const ASCII = /^[\x00-\x7f]*$/;

/** Appends the words of `text` to `out` (duplicates kept, in order). */
export function tokenize(text: string, out: string[]): string[] {
  // Indexing a million tools tokenizes ~20 million words: lower-case an ASCII text once and
  // slice the words from it, instead of a slice, a lower-case and a test per word.
  const lowered = ASCII.test(text) ? text.toLowerCase() : null;
  scanWords(text, (start, end) => {
    if (lowered !== null) {
      if (end - start <= MAX_WORD_LENGTH) out.push(lowered.slice(start, end));
      return;
    }
    const word = normalizeWord(text.slice(start, end));
    if (word !== null && word.length > 0) out.push(word);
  });
  return out;
}

/** The distinct words of a query, in order, at most MAX_QUERY_WORDS. */
export function queryWords(q: string): string[] {
  const words = tokenize(q, []);
  const distinct: string[] = [];
  for (const word of words) {
    if (!distinct.includes(word)) distinct.push(word);
    if (distinct.length === MAX_QUERY_WORDS) break;
  }
  return distinct;
}

/** The words of several texts joined by spaces: what the Meilisearch adapter indexes as `*Words`. */
export function wordsOf(texts: ReadonlyArray<string | null>): string {
  const out: string[] = [];
  for (const text of texts) if (text) tokenize(text, out);
  return out.join(' ');
}
