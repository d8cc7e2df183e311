import type { KeyValueInput } from '@toolport/contracts';
import type { ProbeTarget } from '../probing/probe-result';
import { resolveRemoteUrl } from '../probing/remote-url';
import type { HeaderSecrets } from './header-secrets';
import type { TargetRow } from './target';

export type TargetResolution = { probeable: true; target: ProbeTarget } | { probeable: false; reason: string };

const PLACEHOLDER = /\{[^{}]+\}/;

/**
 * The probe for one target, or why there is none (status `unprobeable`, never a guess): URL
 * variables need a value or default (resolveRemoteUrl), and every header the remote marks
 * `isRequired` needs a value: a configured one (HeaderSecrets), else a fixed, non-secret `value`
 * or `default` without placeholders from server.json. Configured headers the remote does not
 * declare are sent too (a gateway in front may want them). Pure.
 */
export function resolveTarget(row: TargetRow, secrets: HeaderSecrets): TargetResolution {
  const url = resolveRemoteUrl(row.remote);
  if (!url.probeable) return { probeable: false, reason: url.reason };
  const configured = secrets.forServer(row.serverName);
  const configuredByName = new Map(Object.keys(configured).map((name) => [name.toLowerCase(), name]));
  const headers: Record<string, string> = {};
  const missing: string[] = [];
  for (const declared of (row.remote.headers ?? []) as KeyValueInput[]) {
    if (configuredByName.has(declared.name.toLowerCase())) continue;
    const literal = [declared.value, declared.default].find((v): v is string => typeof v === 'string' && !PLACEHOLDER.test(v));
    if (literal !== undefined && !declared.isSecret) headers[declared.name] = literal;
    else if (declared.isRequired) missing.push(declared.name);
  }
  if (missing.length > 0) {
    return {
      probeable: false,
      reason: `required header${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'have' : 'has'} no value configured for ${row.serverName} (TOOLPORT_HEALTH_HEADERS_FILE)`,
    };
  }
  return {
    probeable: true,
    target: { serverName: row.serverName, version: row.version, transport: row.transport, url: url.url, headers: { ...headers, ...configured } },
  };
}
