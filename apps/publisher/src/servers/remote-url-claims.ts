import { ToolportError } from '@toolport/contracts';
import type { Migration } from '@toolport/event-store';
import type { PoolClient } from 'pg';

/**
 * "A remote URL may not belong to another server" (official rule). Which server a URL belongs to
 * is a fact across aggregates, so it lives in a table whose primary key makes the first claim
 * win, written in the same transaction as the VersionPublished append: two servers publishing
 * the same URL at once cannot both succeed, and a rejected publish leaves no claim behind.
 */
export const remoteUrlClaimMigrations: Migration[] = [
  {
    id: 'publisher/0001-remote-url-claims',
    up: (schema) => `
      CREATE TABLE ${schema}.remote_url_claims (
        url text PRIMARY KEY,
        server_name text NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now()
      );`,
  },
];

/** Trailing slashes and the scheme/host case do not make a different endpoint. */
export function normalizeRemoteUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const path = parsed.pathname.replace(/\/+$/, '');
    return `${parsed.protocol}//${parsed.host.toLowerCase()}${path}${parsed.search}`;
  } catch {
    return url;
  }
}

export function remoteUrlsOf(server: Record<string, unknown>): string[] {
  const remotes = Array.isArray(server['remotes']) ? (server['remotes'] as Array<{ url?: unknown }>) : [];
  return [...new Set(remotes.map((r) => r.url).filter((u): u is string => typeof u === 'string').map(normalizeRemoteUrl))];
}

/** Claims the URLs for `serverName` inside `tx`; throws if another server holds one. */
export async function claimRemoteUrls(tx: PoolClient, schema: string, serverName: string, urls: readonly string[]): Promise<void> {
  if (urls.length === 0) return;
  // Waits for a concurrent claim of the same URL to commit or roll back, then keeps the winner.
  await tx.query(
    `INSERT INTO ${schema}.remote_url_claims (url, server_name) SELECT unnest($1::text[]), $2 ON CONFLICT (url) DO NOTHING`,
    [urls, serverName],
  );
  const { rows } = await tx.query<{ url: string; server_name: string }>(
    `SELECT url, server_name FROM ${schema}.remote_url_claims WHERE url = ANY($1::text[]) AND server_name <> $2`,
    [urls, serverName],
  );
  if (rows.length > 0) {
    throw new ToolportError(
      'invalid',
      'REMOTE_URL_TAKEN',
      `Failed to publish server: remote URL ${rows[0]!.url} is already used by server ${rows[0]!.server_name}`,
      rows.map((r) => ({ message: `already used by ${r.server_name}`, location: 'body.remotes', value: r.url })),
    );
  }
}
