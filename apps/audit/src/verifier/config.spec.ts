import { ed25519PrivateKeyFromSeed, publicKeyBase64, rawPublicKey } from '../transparency-log/signing-key';
import { parseVerifierArgs, UsageError, type VerifierOptions } from './config';

const key = publicKeyBase64(ed25519PrivateKeyFromSeed('11'.repeat(32)));
const base = ['--url', 'http://127.0.0.1:8085', '--public-key', key];

function options(argv: string[], env: Record<string, string> = {}): VerifierOptions {
  const command = parseVerifierArgs(argv, env);
  if (command.kind !== 'verify') throw new Error('expected a verify command');
  return command.options;
}

describe('parseVerifierArgs', () => {
  it('reads every option, with the documented defaults', () => {
    const parsed = options([...base, '--seq', '7', '--first', '10', '--second', '50', '--json', '--timeout', '500']);
    expect(parsed).toMatchObject({ baseUrl: 'http://127.0.0.1:8085', seq: 7, first: 10, second: 50, json: true, timeoutMs: 500, token: null });
    expect(rawPublicKey(parsed.publicKey).toString('base64')).toBe(key);
    expect(options(base)).toMatchObject({ seq: null, first: null, second: null, json: false, timeoutMs: 10_000 });
  });

  it('takes the token from --token first, else from TOOLPORT_TOKEN', () => {
    expect(options(base, { TOOLPORT_TOKEN: 'from-env' }).token).toBe('from-env');
    expect(options([...base, '--token', 'from-flag'], { TOOLPORT_TOKEN: 'from-env' }).token).toBe('from-flag');
    expect(options(base, { TOOLPORT_TOKEN: '' }).token).toBeNull();
  });

  it('answers help before anything else', () => {
    expect(parseVerifierArgs(['-h'], {})).toEqual({ kind: 'help' });
    expect(parseVerifierArgs(['--url', 'x', '--help'], {})).toEqual({ kind: 'help' });
  });

  it.each<[string, string[], string]>([
    ['no URL', ['--public-key', key], '--url is required'],
    ['no key', ['--url', 'http://x'], '--public-key is required'],
    ['a URL that is not one', ['--url', 'nope', '--public-key', key], '--url nope is not a URL'],
    ['another scheme', ['--url', 'ftp://x', '--public-key', key], '--url must be http or https'],
    ['seq 0 (seq is 1-based)', [...base, '--seq', '0'], '--seq must be an integer of at least 1, not 0'],
    ['a fractional seq', [...base, '--seq', '1.5'], '--seq must be an integer'],
    ['--first 0', [...base, '--first', '0'], '--first must be an integer of at least 1'],
    ['--second alone', [...base, '--second', '5'], '--second needs --first'],
    ['first after second', [...base, '--first', '9', '--second', '5'], '--first 9 is larger than --second 5'],
    ['an unknown flag', [...base, '--sequence', '5'], "Unknown option '--sequence'"],
    ['a stray argument', [...base, 'extra'], 'Unexpected argument'],
    ['a key that is not one', ['--url', 'http://x', '--public-key', 'c2hvcnQ='], '--public-key: "c2hvcnQ=" (not a file) holds no Ed25519 public key'],
  ])('refuses %s', (_name, argv, message) => {
    expect(() => parseVerifierArgs(argv, {})).toThrow(UsageError);
    expect(() => parseVerifierArgs(argv, {})).toThrow(message);
  });
});
