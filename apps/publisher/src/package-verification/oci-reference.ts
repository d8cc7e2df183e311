/**
 * OCI image references and registry auth challenges, parsed the way Docker's reference grammar
 * (github.com/distribution/reference) and the token auth spec
 * (distribution.github.io/distribution/spec/auth/token/) describe them, reduced to what an
 * anonymous pull of a manifest and a config blob needs.
 */

export interface OciReference {
  /** Registry as written (`docker.io` when none was). */
  registry: string;
  /** Host that serves the v2 API (`registry-1.docker.io` for Docker Hub). */
  apiHost: string;
  /** Repository path, with `library/` added for official Docker Hub images. */
  repository: string;
  tag: string | null;
  digest: string | null;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
export const TAG = /^[\w][\w.-]{0,127}$/;
export const DIGEST = /^sha256:[a-f0-9]{64}$/;
const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Parses `[registry/]path[:tag][@sha256:digest]`; null when it is not a valid reference. */
export function parseOciReference(identifier: string): OciReference | null {
  let rest = identifier.trim();
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return null;
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  // Docker's rule: the first component is a registry when it has a dot or a port, or is localhost.
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first.toLowerCase() : 'docker.io';
  let path = hasRegistry ? rest.slice(slash + 1) : rest;
  let tag: string | null = null;
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) return null;
  }
  if (path === '' || !path.split('/').every((component) => COMPONENT.test(component))) return null;
  const dockerHub = DOCKER_HUB.has(registry);
  if (dockerHub && !path.includes('/')) path = `library/${path}`;
  return { registry, apiHost: dockerHub ? 'registry-1.docker.io' : registry, repository: path, tag, digest };
}

export interface BearerChallenge {
  realm: string;
  service: string | null;
  scope: string | null;
}

/** `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`; null for Basic or anything else. */
export function parseBearerChallenge(header: string | undefined): BearerChallenge | null {
  if (!header || !/^\s*bearer\s/i.test(header)) return null;
  const params = new Map<string, string>();
  for (const match of header.replace(/^\s*bearer\s+/i, '').matchAll(/([A-Za-z_]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) {
    params.set((match[1] as string).toLowerCase(), match[2] ?? match[3] ?? '');
  }
  const realm = params.get('realm');
  if (!realm) return null;
  return { realm, service: params.get('service') ?? null, scope: params.get('scope') ?? null };
}
