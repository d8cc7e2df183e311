/**
 * Files and variables that hold credentials or an agent's configuration (security-checks.md
 * §3.B3 list, plus keychains, browser profiles and shell history). Shared by the sensitive-target
 * and parameter analyzers.
 */
export interface SensitiveTarget {
  label: string;
  pattern: RegExp;
}

const HOME = String.raw`(?:~|\$HOME|\$\{HOME\}|%USERPROFILE%|/home/[^/\s]+|/root|/Users/[^/\s]+|C:\\Users\\[^\\\s]+)?`;
/** Before a dotfile: start, whitespace, quote, slash or bracket, so `process.env` is not `.env`. */
const DOT = String.raw`(?:^|(?<=[\s'"\x60(/\\\[=:]))`;

export const SENSITIVE_TARGETS: readonly SensitiveTarget[] = [
  { label: 'an SSH private key', pattern: new RegExp(String.raw`${HOME}[/\\]?\.ssh[/\\](?:id_[a-z0-9_]+|[\w.-]*(?:private|\.pem|\.key)[\w.-]*)\b(?!\.pub)|\bid_(?:rsa|dsa|ecdsa|ed25519)\b(?!\.pub)`, 'i') },
  { label: 'the SSH directory', pattern: new RegExp(String.raw`${HOME}[/\\]\.ssh\b|${DOT}\.ssh[/\\]`, 'i') },
  { label: 'cloud credentials', pattern: /\.aws[/\\](?:credentials|config)\b|\.azure[/\\]|\.config[/\\]gcloud\b|application_default_credentials\.json|\.kube[/\\]config\b|\bkubeconfig\b|\.docker[/\\]config\.json/i },
  { label: 'package-registry or git credentials', pattern: new RegExp(String.raw`${DOT}\.(?:npmrc|pypirc|netrc|git-credentials)\b|\bgh[/\\]hosts\.ya?ml\b`, 'i') },
  { label: 'a .env file', pattern: new RegExp(String.raw`${DOT}\.env(?:\.[a-z]+)?\b(?![-\w])`, 'i') },
  { label: 'an agent or MCP configuration file', pattern: /\b(?:claude_desktop_config|mcp_config|mcp_settings|cline_mcp_settings)\.json\b|(?:^|[\s'"`(/\\])\.?mcp\.json\b|\.cursor[/\\]|\.vscode[/\\]mcp\.json|\.codeium[/\\]|\.continue[/\\]config|\.claude[/\\]/i },
  { label: 'a system account file', pattern: /\/etc\/(?:passwd|shadow|sudoers|master\.passwd)\b|\.(?:bash|zsh|sh|python)_history\b/i },
  { label: 'a keychain, key ring or wallet', pattern: /\bkeychains?\b|\.gnupg\b|\bsecring\b|\.password-store\b|\bwallet\.dat\b|\bLogin Data\b|\bcookies\.sqlite\b|\bkeyring\b/i },
  { label: 'a credential environment variable', pattern: /\b[A-Z][A-Z0-9]*_(?:TOKEN|SECRET|API_KEY|APIKEY|ACCESS_KEY|SECRET_KEY|PASSWORD|PASSWD|PRIVATE_KEY|CREDENTIALS)\b|\bAWS_SECRET_ACCESS_KEY\b/ },
  { label: 'the environment variables', pattern: /\bprocess\.env\b|\bos\.environ\b|\b(?:all|every|any|the|your)\s+(?:of\s+the\s+)?(?:environment|env)\s+(?:variables|vars)\b/i },
];

export interface TargetHit {
  label: string;
  index: number;
  length: number;
}

/** Every target mentioned, in text order. */
export function findTargets(text: string): TargetHit[] {
  const hits: TargetHit[] = [];
  for (const { label, pattern } of SENSITIVE_TARGETS) {
    for (const m of text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))) {
      if (label === 'the SSH directory' && hits.some((h) => h.label === 'an SSH private key' && Math.abs(h.index - m.index) < 40)) continue;
      hits.push({ label, index: m.index, length: m[0].length });
    }
  }
  return hits.sort((a, b) => a.index - b.index);
}
