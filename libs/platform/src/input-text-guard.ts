import { ToolportError } from '@toolport/contracts';
import type { FastifyInstance } from 'fastify';

/*
 * Text PostgreSQL cannot hold: U+0000 in text (22021 "invalid byte sequence for encoding UTF8:
 * 0x00") and in jsonb (22P05 "unsupported Unicode escape sequence"), and an unpaired UTF-16
 * surrogate in jsonb (22P02; in a text parameter node-postgres silently turns it into U+FFFD).
 * No request needs either, so every service refuses them in its input before any handler runs:
 * a 400 problem+json naming where the character is, instead of a 500 from the database after a
 * handler has started its work. Encoded inputs (cursors) are checked where they are decoded.
 */

export type UnstorableCharacter = 'nul' | 'unpaired-surrogate';

/** With the u flag a paired surrogate is one code point; only an unpaired one is a `Cs` character. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/** What in `text` PostgreSQL could not store, or null. */
export function unstorableCharacterIn(text: string): UnstorableCharacter | null {
  if (text.includes('\u0000')) return 'nul';
  return UNPAIRED_SURROGATE.test(text) ? 'unpaired-surrogate' : null;
}

const DESCRIPTIONS: Record<UnstorableCharacter, string> = {
  nul: 'contains a NUL character (U+0000), which is not allowed',
  'unpaired-surrogate': 'contains an unpaired UTF-16 surrogate, which is not valid Unicode text',
};

/** The 400 for `location` (`query.search`, `path.serverName`, `body.packages[0].version`). */
export function unstorableCharacterError(location: string, character: UnstorableCharacter): ToolportError {
  const message = DESCRIPTIONS[character];
  return new ToolportError('invalid', 'INVALID_CHARACTER', `${location} ${message}`, [{ message, location }]);
}

interface Node {
  value: unknown;
  parent: Node | null;
  key: string | number | null;
}

const PLAIN_KEY = /^[^.[\]"\\\s\p{Cc}\p{Cs}]+$/u;

function locationOf(base: string, node: Node): string {
  const segments: string[] = [];
  for (let at: Node | null = node; at !== null && at.key !== null; at = at.parent) {
    const key = at.key;
    segments.push(typeof key === 'number' ? `[${key}]` : PLAIN_KEY.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
  }
  return base + segments.reverse().join('');
}

/** A parser's dictionary: a plain object, or a null-prototype one (fast-querystring's, find-my-way's, one level down). */
const isDictionary = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === null || prototype === Object.prototype || Object.getPrototypeOf(prototype) === null;
};

/**
 * The first string (or property name) in `value` PostgreSQL could not store, with where it is.
 * Only what parsers produce is walked: strings, arrays and dictionaries (a parser's own body
 * type, such as the raw text of /validate, is left to its handler). Iterative: JSON.parse
 * accepts nesting deeper than the call stack.
 */
export function findUnstorableText(value: unknown, base: string): ToolportError | null {
  const stack: Node[] = [{ value, parent: null, key: null }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const current = node.value;
    if (typeof current === 'string') {
      const character = unstorableCharacterIn(current);
      if (character) return unstorableCharacterError(locationOf(base, node), character);
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], parent: node, key: i });
    } else if (typeof current === 'object' && current !== null && isDictionary(current)) {
      const keys = Object.keys(current);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const child: Node = { value: (current as Record<string, unknown>)[key], parent: node, key };
        const character = unstorableCharacterIn(key);
        if (character) return unstorableCharacterError(locationOf(base, child), character);
        stack.push(child);
      }
    }
  }
  return null;
}

/**
 * Refuses unstorable text in query values, path parameters and parsed bodies of every route
 * (an unknown route stays a 404). Query and path are checked in onRequest, before the catalog's
 * answer caches (installed later, at module init) and any handler; a decoded URL can only hold a
 * NUL through `%00` (invalid UTF-8 is Fastify's FST_ERR_BAD_URL), so other URLs cost one scan.
 * Bodies are checked once parsed (preValidation), before Nest's guards and handlers.
 */
export function installInputTextGuard(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (request.routeOptions.url === undefined || !request.url.includes('%00')) {
      done();
      return;
    }
    done(findUnstorableText(request.params, 'path') ?? findUnstorableText(request.query, 'query') ?? undefined);
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    done(request.body === undefined || request.body === null ? undefined : (findUnstorableText(request.body, 'body') ?? undefined));
  });
}
