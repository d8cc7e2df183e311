import { McpError } from '@modelcontextprotocol/sdk/types.js';

type FailedPhase = 'connect' | 'initialize' | 'list-tools';

const MAX_REASON = 300;

/** Error codes that mean the exchange never got as far as HTTP: the phase is `connect`. */
const CONNECT_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'name resolution failed',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
};

const isTlsCode = (code: string) =>
  code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.startsWith('CERT_') || code.includes('CERT') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE';

/** The `code`s along an error's `cause` chain, outermost first. */
function codesOf(error: unknown): { code: string; message: string }[] {
  const found: { code: string; message: string }[] = [];
  let current: unknown = error;
  // Duck-typed, not `instanceof Error`: errors from node:net come from another realm under Jest.
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') found.push({ code, message: String(message) });
    current = cause;
  }
  return found;
}

const shorten = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_REASON ? `${flat.slice(0, MAX_REASON - 1)}…` : flat;
};

/**
 * Turns whatever the SDK or the network threw into the failed phase and a short reason. Network
 * errors are `connect` failures whatever the phase; the rest belong to the phase that was running.
 */
export function describeProbeError(
  error: unknown,
  phase: FailedPhase,
  secrets: readonly string[] = [],
  /** The last error the network layer saw: the SSE transport's EventSource flattens causes into text. */
  networkError: unknown = null,
): { phase: FailedPhase; reason: string } {
  // Redacted before shortening, so that a secret cut in two by the length cap cannot leak a part.
  const oneLine = (text: string) => shorten(redactSecrets(text, secrets));
  const codes = codesOf(error);
  for (const { code, message } of codes.length > 0 ? codes : codesOf(networkError)) {
    if (CONNECT_CODES[code]) return { phase: 'connect', reason: oneLine(`${CONNECT_CODES[code]} (${code}): ${message}`) };
    if (isTlsCode(code)) return { phase: 'connect', reason: oneLine(`TLS failure (${code}): ${message}`) };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof McpError) {
    return { phase, reason: oneLine(`the server answered ${phaseRequest(phase)} with error ${error.code}: ${message.replace(/^MCP error -?\d+: /, '')}`) };
  }
  const status = (error as { code?: unknown }).code;
  if (typeof status === 'number' && status >= 100 && status <= 599) {
    return { phase, reason: oneLine(`HTTP ${status} during ${phaseRequest(phase)}: ${message}`) };
  }
  if (error instanceof Error && /zod/i.test(error.name + (error.constructor?.name ?? ''))) {
    return { phase, reason: oneLine(`not an MCP server: the answer to ${phaseRequest(phase)} is not a valid JSON-RPC message`) };
  }
  if (error instanceof SyntaxError) {
    return { phase, reason: oneLine(`not an MCP server: the answer to ${phaseRequest(phase)} is not JSON (${message})`) };
  }
  return { phase, reason: oneLine(`${phaseRequest(phase)} failed: ${message}`) };
}

const phaseRequest = (phase: FailedPhase): string => (phase === 'list-tools' ? 'tools/list' : phase === 'connect' ? 'connecting' : 'initialize');

/**
 * Removes the target's header values (API keys, tokens) from a reason: a server may echo a request
 * header in its error page, and reasons end up in events and logs.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  // Longest first, so a secret that contains another is removed whole.
  for (const secret of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
    redacted = redacted.split(secret).join('[redacted]');
  }
  return redacted;
}
