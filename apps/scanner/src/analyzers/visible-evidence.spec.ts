import { EVIDENCE_MAX_LENGTH, evidenceOf, makeVisible, maskSecrets, shannonEntropy, tagName, truncateVisible } from './visible-evidence';

describe('makeVisible', () => {
  it('names tag characters after the ASCII letter they hide', () => {
    expect(makeVisible('a\u{E0041}\u{E0069}\u{E0020}\u{E0031}\u{E0021}')).toBe(
      "a<U+E0041 TAG LATIN CAPITAL A><U+E0069 TAG LATIN SMALL I><U+E0020 TAG SPACE><U+E0031 TAG DIGIT 1><U+E0021 TAG '!'>",
    );
    expect(tagName(0xe0001)).toBe('LANGUAGE TAG');
    expect(tagName(0xe007f)).toBe('CANCEL TAG');
  });

  it('names bidi controls, zero-width characters and the BOM', () => {
    expect(makeVisible('x\u202Ey\u202Cz')).toBe('x<U+202E RLO>y<U+202C PDF>z');
    expect(makeVisible('a\u200Bb\u200Cc\u200Dd\u2060e\uFEFF')).toBe('a<ZWSP>b<ZWNJ>c<ZWJ>d<WJ>e<BOM>');
    expect(makeVisible('\u2066x\u2069')).toBe('<U+2066 LRI>x<U+2069 PDI>');
  });

  it('shows ANSI escapes as the sequence they are, and other controls as \\x..', () => {
    expect(makeVisible('\x1b[8mhidden\x1b[0m')).toBe('\\x1b[8mhidden\\x1b[0m');
    expect(makeVisible('a\x07b\x9bc\r\n\t')).toBe('a\\x07b\\x9bc\\r\\n\\t');
  });

  it('names variation selectors and leaves ordinary text, emoji and other scripts alone', () => {
    expect(makeVisible('❤\uFE0F')).toBe('❤<VS16>');
    expect(makeVisible('\u{E0100}')).toBe('<VS17>');
    expect(makeVisible('Grüße, 日本語, فارسی, हिंदी 👍🏽')).toBe('Grüße, 日本語, فارسی, हिंदी 👍🏽');
  });
});

describe('maskSecrets', () => {
  it('masks provider-format keys, keeping only a recognisable prefix', () => {
    const text = 'aws AKIAIOSFODNN7EXAMPLE gh ghp_0123456789abcdefghijABCDEFGHIJ012345 ant sk-ant-api03-abcdefghijklmnopqrstuvwxyz';
    const masked = maskSecrets(text);
    expect(masked).toBe('aws AKIA…[REDACTED] gh ghp_…[REDACTED] ant sk-ant-…[REDACTED]');
  });

  it('masks private keys, JWTs, bearer tokens and password assignments', () => {
    expect(maskSecrets('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----')).toBe('…[REDACTED]');
    expect(maskSecrets('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U')).toBe('eyJ…[REDACTED]');
    expect(maskSecrets('Authorization: Bearer abcdefghijklmnop1234')).toBe('Authorization: Bearer …[REDACTED]');
    expect(maskSecrets('password=hunter2hunter2 and api_key: "s3cr3tvalue"')).toBe('password=[REDACTED] and api_key: "[REDACTED]"');
  });

  it('masks high-entropy strings but not hex digests, identifiers or prose', () => {
    expect(maskSecrets('token Zk3q9LmP2xVb7NcR4tYh8WsJ1uEa6DgF0oKi')).toBe('token [REDACTED 36 chars]');
    const digest = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    expect(maskSecrets(digest)).toBe(digest);
    expect(maskSecrets('get_all_repository_issues_with_comments_and_labels')).toBe('get_all_repository_issues_with_comments_and_labels');
    expect(shannonEntropy('aaaa')).toBe(0);
  });
});

describe('evidenceOf and truncateVisible', () => {
  it('cuts long text with a count of what was left out', () => {
    const long = 'x'.repeat(EVIDENCE_MAX_LENGTH + 50);
    expect(evidenceOf(long)).toBe(`${'x'.repeat(EVIDENCE_MAX_LENGTH)}…[+50 chars]`);
  });

  it('never splits a visible marker', () => {
    const visible = `${'a'.repeat(8)}<U+202E RLO>tail`;
    expect(truncateVisible(visible, 12)).toBe(`${'a'.repeat(8)}…[+16 chars]`);
    expect(truncateVisible('abcdefgh\\x1b[8m', 10)).toBe('abcdefgh…[+7 chars]');
  });

  it('masks before making visible, so evidence holds neither the secret nor raw invisible characters', () => {
    const evidence = evidenceOf('key AKIAIOSFODNN7EXAMPLE\u200B');
    expect(evidence).toBe('key AKIA…[REDACTED]<ZWSP>');
  });
});
