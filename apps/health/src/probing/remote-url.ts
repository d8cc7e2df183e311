import type { RemoteTransport } from '@toolport/contracts';

export type RemoteUrlResolution =
  | { probeable: true; transport: RemoteTransport['type']; url: string }
  | {
      probeable: false;
      transport: RemoteTransport['type'];
      reason: string;
      /** Template variables with neither a fixed `value` nor a `default`. */
      missing: string[];
    };

const VARIABLE = /\{([^{}]+)\}/g;

/**
 * The URL to probe for a server.json `remotes[]` entry. `{name}` placeholders take the variable's
 * fixed `value`, else its `default`; a placeholder with neither makes the remote not probeable
 * (a value is never guessed: a tenant or region picked at random probes somebody else's server).
 */
export function resolveRemoteUrl(remote: RemoteTransport): RemoteUrlResolution {
  const transport = remote.type;
  const missing: string[] = [];
  const url = remote.url.replace(VARIABLE, (placeholder, name: string) => {
    const variable = remote.variables?.[name];
    const value = variable?.value ?? variable?.default;
    if (value === undefined) {
      if (!missing.includes(name)) missing.push(name);
      return placeholder;
    }
    return value;
  });
  if (missing.length > 0) {
    const names = missing.map((n) => `{${n}}`).join(', ');
    const reason = `URL template variable${missing.length > 1 ? 's' : ''} ${names} ${missing.length > 1 ? 'have' : 'has'} no default`;
    return { probeable: false, transport, reason, missing };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { probeable: false, transport, reason: 'not a valid URL after substituting its variables', missing };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { probeable: false, transport, reason: `${parsed.protocol} URLs are not probed (http and https only)`, missing };
  }
  return { probeable: true, transport, url: parsed.href };
}
