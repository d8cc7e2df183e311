import { resolveTxt } from 'node:dns/promises';
import { ExchangeRefused } from './exchange-failure';
import { mentionsProofRecord } from './proof-record';

/** node:dns/promises `resolveTxt`: one entry per TXT record, each split in ≤255-byte chunks. */
export type TxtResolver = (hostname: string) => Promise<string[][]>;

export const defaultTxtResolver: TxtResolver = (hostname) => resolveTxt(hostname);

/** Official registry: 5 s for the apex lookup, 2 s for each hint lookup, so a slow zone cannot hold a request. */
const APEX_TIMEOUT_MS = 5_000;
const HINT_TIMEOUT_MS = 2_000;

/**
 * Where people often put the record by mistake, by analogy with DKIM selectors; MCP DNS auth
 * reads the apex, like SPF (official registry issues #385, #1103, #1126).
 */
export const MISPLACED_SELECTORS = ['_mcp-auth', '_mcp-registry'] as const;

/** Names that do not exist or have no TXT records simply have no records. */
const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN']);

/**
 * The apex TXT records of `domain`, chunks joined (RFC 7208 §3.3 treats a record's strings as one).
 * When none of them is an MCPv1 record but one exists under a common wrong selector, the caller
 * is told where it is rather than just "no key found".
 */
export async function proofTxtRecords(domain: string, resolver: TxtResolver): Promise<string[]> {
  let records: string[];
  try {
    records = await lookup(resolver, domain, APEX_TIMEOUT_MS);
  } catch (error) {
    throw new ExchangeRefused(`the DNS lookup of TXT records for ${domain} failed (${describe(error)}); try again later`);
  }
  if (!records.some(mentionsProofRecord)) {
    const misplaced = await findMisplacedRecord(domain, resolver);
    if (misplaced !== null) {
      throw new ExchangeRefused(
        `no MCPv1 TXT record at ${domain}, but one was found at ${misplaced}: ` +
          'MCP DNS authentication reads the record at the apex domain itself, not under a selector; move it to ' +
          domain,
      );
    }
  }
  return records;
}

async function findMisplacedRecord(domain: string, resolver: TxtResolver): Promise<string | null> {
  const names = MISPLACED_SELECTORS.map((selector) => `${selector}.${domain}`);
  const found = await Promise.all(
    names.map(async (name) => {
      try {
        return (await lookup(resolver, name, HINT_TIMEOUT_MS)).some(mentionsProofRecord);
      } catch {
        return false;
      }
    }),
  );
  return names.find((_, index) => found[index]) ?? null;
}

async function lookup(resolver: TxtResolver, name: string, timeoutMs: number): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEOUT' })), timeoutMs);
  });
  try {
    const chunks = await Promise.race([resolver(name), timeout]);
    return chunks.map((record) => record.join(''));
  } catch (error) {
    if (NO_RECORDS.has((error as NodeJS.ErrnoException).code ?? '')) return [];
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
