import { dnsDomain, wellKnownTarget, type WellKnownTarget } from './exchange-domain';
import { ExchangeRefused } from './exchange-failure';
import { domainPermissions } from './exchange-permissions';
import type { SignedTimestampRequest } from './exchange-request';
import { parseProofRecords } from './proof-record';
import { checkTimestamp, decodeSignature, verifyWithAnyKey } from './proof-signature';
import type { ExchangeGrant } from './registry-token.issuer';
import { proofTxtRecords, type TxtResolver } from './txt-records';

export interface HttpExchangeDependencies {
  now: Date;
  allowInsecureLoopback: boolean;
  fetchWellKnown: (target: WellKnownTarget) => Promise<string>;
}

export interface DnsExchangeDependencies {
  now: Date;
  resolveTxt: TxtResolver;
}

const RECORD_FORMAT = 'v=MCPv1; k=<ed25519|ecdsap384>; p=<base64 public key>';

/**
 * `POST /auth/http`: the domain serves its public key at `/.well-known/mcp-registry-auth`. Each
 * line of the file may hold a record; any one that verifies the signature is enough, so a key
 * can be rotated by listing old and new together for a while. Grants `<reversed domain>/*` only.
 */
export async function exchangeHttp(request: SignedTimestampRequest, deps: HttpExchangeDependencies): Promise<ExchangeGrant> {
  const target = wellKnownTarget(request.domain, deps.allowInsecureLoopback);
  if (!target.ok) throw new ExchangeRefused(target.reason);
  const host = target.value.namespaceHost;
  await proveSignedTimestamp(request, deps.now, `the response of ${target.value.url.toString()}`, async () =>
    (await deps.fetchWellKnown(target.value)).split(/\r?\n/),
  );
  return { method: 'http', subject: `http:${host}`, authMethodSub: host, permissions: domainPermissions(host, false) };
}

/**
 * `POST /auth/dns`: the apex domain's TXT records hold the public key(s). Grants
 * `<reversed domain>/*` and `<reversed domain>.*` (its subdomains).
 */
export async function exchangeDns(request: SignedTimestampRequest, deps: DnsExchangeDependencies): Promise<ExchangeGrant> {
  const domain = dnsDomain(request.domain);
  if (!domain.ok) throw new ExchangeRefused(domain.reason);
  const host = domain.value;
  await proveSignedTimestamp(request, deps.now, `the TXT records of ${host}`, () => proofTxtRecords(host, deps.resolveTxt));
  return { method: 'dns', subject: `dns:${host}`, authMethodSub: host, permissions: domainPermissions(host, true) };
}

/**
 * The checks in the official registry's order (`CoreAuthHandler.ExchangeToken`): the cheap,
 * local ones first, so a stale or malformed request never causes a fetch or a DNS query.
 */
async function proveSignedTimestamp(
  request: SignedTimestampRequest,
  now: Date,
  source: string,
  loadRecords: () => Promise<string[]>,
): Promise<void> {
  const timestamp = checkTimestamp(request.timestamp, now);
  if (!timestamp.ok) throw new ExchangeRefused(timestamp.reason);
  const signature = decodeSignature(request.signedTimestamp);
  if (!signature.ok) throw new ExchangeRefused(signature.reason);

  const records = parseProofRecords(await loadRecords());
  if (records.length === 0) throw new ExchangeRefused(`no MCPv1 proof record (${RECORD_FORMAT}) found in ${source}`);
  const keys = records.flatMap((record) => ('key' in record ? [record.key] : []));
  if (keys.length === 0) {
    const errors = records.map((record) => ('error' in record ? record.error : ''));
    throw new ExchangeRefused(
      errors.length === 1 ? errors[0]! : `none of the ${errors.length} proof records in ${source} holds a usable key: ${errors.join('; ')}`,
    );
  }
  const mismatch = verifyWithAnyKey(keys, request.timestamp, signature.value);
  if (mismatch !== null) throw new ExchangeRefused(mismatch);
}
