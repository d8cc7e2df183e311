import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../../analyzers/finding';
import { shannonEntropy } from '../../analyzers/visible-evidence';
import type { PackageContents } from '../../artifacts/package-contents';
import { fileLine, lineLocator, packageFinding, type PackageRule, SECRETS_RULES_VERSION } from '../package-finding';
import { isTestOrDocs, isVendored, textFiles } from '../package-files';

const rule = (id: string, severity: Severity, description: string): PackageRule => ({ id, severity, description, version: SECRETS_RULES_VERSION });

export const PROVIDER_SECRET = rule('TP-SEC-001', 'high', 'A credential in a provider format (AWS, GitHub, GitLab, Slack, Stripe, Google, OpenAI, Anthropic, npm, PyPI)');
export const PRIVATE_KEY = rule('TP-SEC-002', 'critical', 'A PEM private key block');
export const ASSIGNED_SECRET = rule('TP-SEC-003', 'medium', 'A password, token or key assigned a literal value; JWTs');
export const HIGH_ENTROPY = rule('TP-SEC-004', 'low', 'A long high-entropy literal assigned to a variable');
export const SECRET_RULES: readonly PackageRule[] = [PROVIDER_SECRET, PRIVATE_KEY, ASSIGNED_SECRET, HIGH_ENTROPY];

interface Format {
  provider: string;
  pattern: RegExp;
  /** Characters kept at the start: the provider prefix, never more. */
  keep: number;
}

/** gitleaks-style formats (security-checks.md §F). Order matters: Anthropic before OpenAI's `sk-`. */
const FORMATS: readonly Format[] = [
  { provider: 'AWS access key ID', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/g, keep: 4 },
  { provider: 'AWS secret access key', pattern: /(?<=aws.{0,20}secret.{0,20}[:=]\s*["'])[A-Za-z0-9/+=]{40}(?=["'])/gi, keep: 0 },
  { provider: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, keep: 4 },
  { provider: 'GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g, keep: 11 },
  { provider: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g, keep: 6 },
  { provider: 'Slack token', pattern: /\bxox[baprs]-[A-Za-z0-9-]{10,}\b/g, keep: 5 },
  { provider: 'Slack webhook', pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]{16,}/g, keep: 31 },
  { provider: 'Stripe live key', pattern: /\b[sr]k_live_[A-Za-z0-9]{20,}\b/g, keep: 8 },
  { provider: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, keep: 4 },
  { provider: 'Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/g, keep: 7 },
  { provider: 'OpenAI API key', pattern: /\bsk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g, keep: 3 },
  { provider: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, keep: 4 },
  { provider: 'PyPI token', pattern: /\bpypi-AgEI[A-Za-z0-9_-]{50,}/g, keep: 9 },
];

// Bounded body (a 4096-bit key is ~3.3 KB) so headers without an END cannot make the scan quadratic.
const PEM = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----\s*([A-Za-z0-9+/=\s:,-]{64,16384}?)-----END/g;
const JWT = /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g;
const NAMED_ASSIGNMENT =
  /\b([A-Za-z_$][\w$]*(?:password|passwd|pwd|secret|token|api_?key|apikey|access_?key|auth|credential|private_?key)[\w$]*|password|passwd|secret|token)["']?\s*(?:[:=]|:=|=>)\s*["'`]([^"'`\s]{8,200})["'`]/gi;
const ANY_ASSIGNMENT = /\b([A-Za-z_$][\w$]*)["']?\s*[:=]\s*["'`]([A-Za-z0-9+/_=-]{32,200})["'`]/g;

/** Documented placeholders and templating, never real secrets (AWS's own example keys end in EXAMPLE). */
const PLACEHOLDER = /example|sample|dummy|placeholder|your[_-]?|xxxx|\*{3,}|<[^>]*>|\$\{|\{\{|process\.env|os\.environ|getenv|changeme|change_me|redacted|replace|insert|fake|mock|\.\.\.|^(.)\1+$|0{8,}|12345678|abcdefgh/i;
/** Files that exist to show configuration, and lock files whose hashes look like keys. */
const SKIPPED_FILE = /\.(?:example|sample|template|tmpl|dist)$|(?:^|\/)\.env\.(?:example|sample|template|defaults)$|(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|uv\.lock|Pipfile\.lock|RECORD)$|\.(?:map|svg|lock)$/i;

/** Findings kept per file: enough to show a leak, bounded against hostile files. */
export const MAX_PER_FILE = 50;

/** `ghp_…abcd`: the provider prefix and the last four characters, nothing else. */
export function redact(secret: string, keep: number): string {
  if (secret.length < 16) return `${secret.slice(0, Math.min(keep, 2))}…(${secret.length} chars)`;
  return `${secret.slice(0, keep)}…${secret.slice(-4)}`;
}

const fingerprint = (secret: string): string => createHash('sha256').update(secret).digest('hex').slice(0, 12);

/**
 * Secrets in the package's own files (vendored node_modules are skipped: libraries ship test keys
 * that are not the publisher's). Severity drops to low under tests, fixtures, examples and docs.
 * Evidence is redacted before it is built: the raw value never enters a finding.
 */
export function analyzeSecrets(contents: PackageContents): Finding[] {
  const findings: Finding[] = [];
  for (const file of textFiles(contents, (f) => !isVendored(f.path) && !SKIPPED_FILE.test(f.path))) {
    const sideline = isTestOrDocs(file.path);
    const line = lineLocator(file.text);
    const claimed: [number, number][] = [];
    const overlaps = (start: number, end: number) => claimed.some(([s, e]) => start < e && end > s);
    let count = 0;
    const add = (r: PackageRule, index: number, length: number, evidence: string, message: string, severity: Severity, confidence: Finding['confidence']) => {
      // A file stuffed with fake tokens must not make the scan (or the finding list) explode.
      if (count >= MAX_PER_FILE || overlaps(index, index + length)) return;
      count++;
      claimed.push([index, index + length]);
      findings.push(
        packageFinding(r, {
          location: fileLine(file.path, line(index)),
          rawEvidence: evidence,
          message: sideline ? `${message} It sits in a test, example or documentation file.` : message,
          severity: sideline && severity !== 'info' ? 'low' : severity,
          confidence: sideline ? 'low' : confidence,
        }),
      );
    };
    const text = file.text;
    for (const m of text.matchAll(PEM)) {
      if (PLACEHOLDER.test(m[2].slice(0, 40)) || m[2].replace(/\s/g, '').length < 64) continue;
      add(PRIVATE_KEY, m.index, m[0].length, `-----BEGIN ${m[1]}-----…[redacted ${m[2].replace(/\s/g, '').length} chars]`, `A ${m[1].toLowerCase()} is shipped in the package (sha256:${fingerprint(m[2].replace(/\s/g, ''))}).`, 'critical', 'high');
    }
    for (const f of FORMATS) {
      for (const m of text.matchAll(f.pattern)) {
        const value = m[0];
        const context = text.slice(Math.max(0, m.index - 40), m.index + value.length + 20);
        if (PLACEHOLDER.test(value) || /EXAMPLE/.test(context) || shannonEntropy(value.slice(f.keep)) < 3) continue;
        add(PROVIDER_SECRET, m.index, value.length, `[${f.provider}] ${redact(value, f.keep)}`, `A ${f.provider} is shipped in the package (sha256:${fingerprint(value)}); revoke it and read it from the environment instead.`, 'high', 'high');
      }
    }
    for (const m of text.matchAll(JWT)) {
      add(ASSIGNED_SECRET, m.index, m[0].length, `[JWT] ${redact(m[0], 3)}`, `A JSON Web Token is shipped in the package (sha256:${fingerprint(m[0])}).`, 'medium', 'medium');
    }
    for (const m of text.matchAll(NAMED_ASSIGNMENT)) {
      const [, name, value] = m;
      if (PLACEHOLDER.test(value) || /^[a-z]+(?:[._-][a-z]+)*$/i.test(value) || /^[A-Z_]+$/.test(value)) continue;
      // Names of places and labels (oauthPath, tokenUrl, passwordField), paths and URLs are not secrets.
      if (/(?:path|url|uri|endpoint|file|dir|name|type|header|field|label|prompt|message|event|id|key_?name|env_?var|variable)$/i.test(name) || /^(?:\/|\.{1,2}\/|[a-z]+:\/\/)/i.test(value)) continue;
      const entropy = shannonEntropy(value);
      if (entropy < 2.5) continue;
      const at = m.index + m[0].lastIndexOf(value);
      add(ASSIGNED_SECRET, at, value.length, `${name} ← ${redact(value, 0)}`, `"${name}" is assigned a literal secret-looking value.`, 'medium', entropy >= 3.5 ? 'medium' : 'low');
    }
    for (const m of text.matchAll(ANY_ASSIGNMENT)) {
      const [, name, value] = m;
      if (PLACEHOLDER.test(value) || /^[0-9a-f]+$/i.test(value) || !/[A-Za-z]/.test(value) || !/[0-9]/.test(value) || shannonEntropy(value) <= 4.5) continue;
      if (/hash|sha|integrity|digest|checksum|nonce|salt|uuid|id$|etag|version|commit/i.test(name)) continue;
      const at = m.index + m[0].lastIndexOf(value);
      add(HIGH_ENTROPY, at, value.length, `${name} ← ${redact(value, 0)}`, `"${name}" holds a long high-entropy literal (${shannonEntropy(value).toFixed(1)} bits/char): possibly a credential.`, 'low', 'low');
    }
  }
  return findings;
}
