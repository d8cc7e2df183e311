import { type PackageRule, SOURCE_RULES_VERSION } from '../package-finding';

const rule = (id: string, severity: PackageRule['severity'], description: string): PackageRule => ({ id, severity, description, version: SOURCE_RULES_VERSION });

export const INSTALL_HOOK = rule('TP-SRC-001', 'critical', 'Install hook (npm preinstall/install/postinstall/prepare, binding.gyp, setup.py cmdclass or module-level code) and what it runs');
export const SHELL_COMMAND = rule('TP-SRC-002', 'high', 'Command execution through a shell with dynamic input (exec/execSync, spawn with shell:true, os.system, subprocess shell=True)');
export const DYNAMIC_CODE = rule('TP-SRC-003', 'critical', 'eval/new Function/vm/dynamic require or Python exec/eval applied to decoded data');
export const OBFUSCATION = rule('TP-SRC-004', 'high', 'Obfuscated code: obfuscator identifiers, string-array rotation, escape-encoded lines, minified code without a source map');
export const EXFILTRATION = rule('TP-SRC-005', 'critical', 'Environment variables or credential files flowing to the network');
export const DOWNLOAD_EXECUTE = rule('TP-SRC-006', 'critical', 'Download and execute: fetch then write + chmod/exec, remote code evaluated, curl | sh');
export const AGENT_CONFIG_WRITE = rule('TP-SRC-007', 'critical', 'Writes to agent configuration or instruction files, shell start-up files, or runs AI CLIs with permission checks disabled');
export const NOT_ANALYSED = rule('TP-SRC-008', 'info', 'A source file too large to parse, or the per-package parse budget exhausted: only the regex pass ran');
export const UNDECLARED_TOOL = rule('TP-SRC-010', 'high', 'A tool registered in the code that the declared tool list does not contain');
export const MISSING_TOOL = rule('TP-SRC-011', 'low', 'A declared tool that static extraction did not find in the code');
export const CHANGED_TOOL = rule('TP-SRC-012', 'high', 'A declared tool whose description differs from the one registered in the code');

export const SOURCE_RULES: readonly PackageRule[] = [
  INSTALL_HOOK,
  SHELL_COMMAND,
  DYNAMIC_CODE,
  OBFUSCATION,
  EXFILTRATION,
  DOWNLOAD_EXECUTE,
  AGENT_CONFIG_WRITE,
  NOT_ANALYSED,
  UNDECLARED_TOOL,
  MISSING_TOOL,
  CHANGED_TOOL,
];

/**
 * Credential stores a package has no business reading and sending (security-checks.md §B3/C4).
 * `.env` is separate and weak: servers load their own `.env` and then call their API.
 */
export const CREDENTIAL_PATH =
  /(?:^|[/\\'"` ])\.ssh(?:[/\\]|$)|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|\.aws[/\\]?(?:credentials|config)?\b|\.(?:npmrc|pypirc|netrc|git-credentials)\b|\.kube[/\\]config|\.docker[/\\]config\.json|\bgh[/\\]hosts\.ya?ml|\.config[/\\]gcloud|application_default_credentials|\.gnupg\b|\bLogin Data\b|\bcookies\.sqlite\b|\bwallet\.dat\b|\.password-store\b|[/\\]Keychains?[/\\]|\.(?:bash|zsh)_history\b|\/etc\/(?:passwd|shadow)\b|\bclaude_desktop_config\.json\b|\.claude\.json\b|find-generic-password|find-internet-password/i;
/**
 * Of those, the files holding a token for one service (registry, git host, Docker, gcloud): a
 * server for that service may legitimately read its own token and send it to the service's API,
 * so a proven flow is high (a reviewer looks at the host), not critical, unless the host is suspicious.
 */
export const SERVICE_TOKEN_PATH = /\.(?:npmrc|pypirc|netrc|git-credentials)\b|\bgh[/\\]hosts\.ya?ml|\.docker[/\\]config\.json|\.config[/\\]gcloud|application_default_credentials/i;
export const DOTENV_PATH = /(?:^|[/\\'"` ])\.env(?:\.[a-z]+)?$/i;

/** Hosts attackers use to receive stolen data (security-checks.md C4: webhooks, pastes, tunnels, OAST). */
export const SUSPICIOUS_HOST =
  /webhook\.site|discord(?:app)?\.com\/api\/webhooks|api\.telegram\.org\/bot|pastebin\.com|hastebin|transfer\.sh|ngrok(?:-free)?\.(?:io|app)|requestbin|pipedream\.net|burpcollaborator\.net|oast(?:ify)?\.(?:fun|me|pro|live|site|online)|interact\.sh|canarytokens|trycloudflare\.com|serveo\.net|localtunnel\.me|https?:\/\/(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?(?:\/|$)/i;

/** Agent configuration files: MCP server lists and agent settings (high: an "install into Claude" CLI may be the stated purpose). */
export const AGENT_MCP_CONFIG =
  /claude_desktop_config\.json|(?:^|[/\\])\.?(?:cursor|vscode|roo|kiro|gemini|amazonq)[/\\](?:mcp|settings|tasks)\.json|(?:^|[/\\])\.mcp\.json|\.claude\.json|\.claude[/\\]settings(?:\.local)?\.json|\.codeium[/\\]|cline_mcp_settings\.json|\.continue[/\\]config|mcp_config\.json|mcp_settings\.json/i;
/** Instruction files agents read as orders, and shell/OS start-up files: persistence (critical). */
export const AGENT_INSTRUCTION_OR_PERSISTENCE =
  /(?:^|[/\\])(?:CLAUDE|AGENTS|GEMINI)\.md$|\.cursorrules|\.cursor[/\\]rules|copilot-instructions\.md|\.windsurfrules|\.clinerules|(?:^|[/\\])\.(?:bashrc|zshrc|bash_profile|profile|zprofile|zshenv)$|LaunchAgents|LaunchDaemons|[/\\]cron(?:tab|\.d)|systemd[/\\]user|[/\\]autostart[/\\]|CurrentVersion[/\\]Run/i;
/** AI command-line tools run with their permission checks off (2025 Nx compromise). */
export const AI_CLI_UNSAFE_FLAG = /--dangerously-skip-permissions|--dangerously-bypass-approvals|--trust-all-tools|--yolo\b|--allow-all-tools/;

/** Shell text that downloads and runs code. */
export const SHELL_DOWNLOAD_EXECUTE =
  /\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b|\b(?:ba)?sh\s+-c\s+["']?\$\((?:curl|wget)|\b(?:iwr|Invoke-WebRequest|irm|Invoke-RestMethod)\b[^|\n]*\|\s*(?:iex|Invoke-Expression)|powershell[^\n]*-(?:e|enc|encodedcommand)\s+[A-Za-z0-9+/=]{20,}|\bIEX\s*\(\s*New-Object\s+Net\.WebClient/i;
/** Shell text that fetches something (a hook that downloads is high even without piping to sh). */
export const SHELL_DOWNLOAD = /\b(?:curl|wget|Invoke-WebRequest|iwr|bitsadmin|certutil\s+-urlcache)\b|https?:\/\//i;
/** Inline code and decoding in a shell command. */
export const SHELL_INLINE_DECODE = /\b(?:node|deno|bun)\s+(?:-e|--eval|-p|--print)\b[^\n]*(?:base64|Buffer\.from|atob|eval|fromCharCode|\\x[0-9a-f]{2})|\bbase64\s+(?:-d|--decode)\b|\bpython[0-9.]*\s+-c\b[^\n]*(?:b64decode|exec|urllib|marshal)/i;
/**
 * Inline code that can do something (modules, network, processes, files, the environment), and
 * detached processes. `node -e "process.exit(0)"` fallbacks are not counted.
 */
export const SHELL_INLINE_CODE =
  /\b(?:node|deno|bun)\s+(?:-e|--eval|-p|--print)\s+["']?[^"'\n]*(?:require|import|http|fetch|child_process|exec|spawn|Buffer|eval|fs\.|process\.env|os\.)|\bpython[0-9.]*\s+-c\b|\bperl\s+-e\b|\bnohup\b|\bsetsid\b|&\s*$|\bdisown\b/i;
