import { existsSync, readFileSync, statSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Env } from '@toolport/config';
import { loadEd25519PublicKey } from '../transparency-log/signing-key';

/** The standalone verifier's configuration: the only place it reads arguments and the environment. */
export interface VerifierOptions {
  /** The audit service's base URL, e.g. http://127.0.0.1:8085 (the /api/v1/audit paths are added). */
  baseUrl: string;
  publicKey: KeyObject;
  /** Record to prove (1-based seq), or null. */
  seq: number | null;
  /** Older head for a consistency check, or null for none. */
  first: number | null;
  /** Newer head for the consistency check; null means the latest signed head. */
  second: number | null;
  /** Bearer token of an auditor (or admin): --token, else TOOLPORT_TOKEN. */
  token: string | null;
  json: boolean;
  timeoutMs: number;
}

export type VerifierCommand = { kind: 'help' } | { kind: 'verify'; options: VerifierOptions };

/** Wrong arguments: exit status 2 with the message and a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const VERIFIER_USAGE = `Usage: npm run audit:verify -- --url <base URL> --public-key <file or base64> [options]

Checks a Toolport audit log from its HTTP API alone, trusting nothing but the log's public key:
the latest signed tree head's Ed25519 signature, a record's inclusion in that head, and that an
older head is a prefix of a newer one (RFC 9162 inclusion and consistency proofs).

  --url <base URL>          the audit service, e.g. http://127.0.0.1:8085
  --public-key <key>        the log's Ed25519 public key: a file (PEM or base64) or the base64 itself
  --seq <N>                 also prove that record N (1-based) is in the latest signed head,
                            recomputing its leaf from the record's fields and its payload digest
  --first <A>               also prove that the signed head of size A is a prefix of ...
  --second <B>              ... the signed head of size B (default: the latest signed head)
  --token <token>           an auditor's bearer token (default: the TOOLPORT_TOKEN variable)
  --json                    print the report as JSON instead of lines
  --timeout <ms>            per-request timeout (default 10000)
  -h, --help                this text

Exit status: 0 everything verified, 1 a check failed (one FAIL line each), 2 wrong arguments.`;

/** Reads the command from `argv` (without node and the script) and `env` (for TOOLPORT_TOKEN). */
export function parseVerifierArgs(argv: readonly string[], env: Env): VerifierCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        'public-key': { type: 'string' },
        seq: { type: 'string' },
        first: { type: 'string' },
        second: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values['help']) return { kind: 'help' };

  const baseUrl = required(values['url'], '--url');
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new UsageError(`--url ${baseUrl} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--url must be http or https, not ${parsed.protocol}`);

  const seq = optionalInteger(values['seq'], '--seq', 1);
  // From the empty tree, consistency holds by definition and proves nothing: sizes start at 1.
  const first = optionalInteger(values['first'], '--first', 1);
  const second = optionalInteger(values['second'], '--second', 1);
  if (second !== null && first === null) throw new UsageError('--second needs --first');
  if (first !== null && second !== null && first > second) throw new UsageError(`--first ${first} is larger than --second ${second}`);

  const tokenArgument = values['token'] as string | undefined;
  const token = tokenArgument ?? (env['TOOLPORT_TOKEN'] || null);
  return {
    kind: 'verify',
    options: {
      baseUrl,
      publicKey: readPublicKey(required(values['public-key'], '--public-key')),
      seq,
      first,
      second,
      token: token === '' ? null : token,
      json: values['json'] === true,
      timeoutMs: optionalInteger(values['timeout'], '--timeout', 1) ?? 10_000,
    },
  };
}

/** For main.ts: this process's arguments and environment. */
export function loadVerifierCommand(): VerifierCommand {
  return parseVerifierArgs(process.argv.slice(2), process.env);
}

function required(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

function optionalInteger(value: string | boolean | undefined, flag: string, min: number): number | null {
  if (value === undefined) return null;
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < min) throw new UsageError(`${flag} must be an integer of at least ${min}, not ${String(value)}`);
  return number;
}

/** A path to a file holding the key, or the key itself. */
function readPublicKey(value: string): KeyObject {
  const isFile = existsSync(value) && statSync(value).isFile();
  try {
    return loadEd25519PublicKey(isFile ? readFileSync(value, 'utf8') : value);
  } catch (error) {
    const what = isFile ? `the file ${value}` : `${JSON.stringify(value)} (not a file)`;
    throw new UsageError(`--public-key: ${what} holds no Ed25519 public key: ${(error as Error).message}`);
  }
}
