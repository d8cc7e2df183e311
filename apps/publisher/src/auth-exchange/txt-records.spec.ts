import { ExchangeRefused } from './exchange-failure';
import { proofTxtRecords, type TxtResolver } from './txt-records';

const dnsError = (code: string) => Object.assign(new Error(`queryTxt ${code}`), { code });

function zone(records: Record<string, string[][]>): TxtResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolver = async (name: string) => {
    asked.push(name);
    const found = records[name];
    if (found === undefined) throw dnsError('ENOTFOUND');
    return found;
  };
  return Object.assign(resolver, { asked });
}

describe('proofTxtRecords', () => {
  it('returns the apex records with their chunks joined', async () => {
    const resolver = zone({ 'example.com': [['v=spf1 -all'], ['v=MCPv1; k=ed25519; ', 'p=AAAA']] });
    expect(await proofTxtRecords('example.com', resolver)).toEqual(['v=spf1 -all', 'v=MCPv1; k=ed25519; p=AAAA']);
    expect(resolver.asked).toEqual(['example.com']);
  });

  it('points at a record placed under _mcp-auth or _mcp-registry instead of the apex', async () => {
    for (const selector of ['_mcp-auth', '_mcp-registry']) {
      const resolver = zone({ 'example.com': [['v=spf1 -all']], [`${selector}.example.com`]: [['v=MCPv1; k=ed25519; p=AAAA']] });
      const refusal = await proofTxtRecords('example.com', resolver).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(ExchangeRefused);
      expect((refusal as ExchangeRefused).reason).toBe(
        `no MCPv1 TXT record at example.com, but one was found at ${selector}.example.com: MCP DNS authentication reads the record ` +
          'at the apex domain itself, not under a selector; move it to example.com',
      );
    }
  });

  it('treats a name without TXT records as having none, and gives no hint when there is nothing to point at', async () => {
    const resolver = zone({});
    expect(await proofTxtRecords('example.com', resolver)).toEqual([]);
    expect(resolver.asked.sort()).toEqual(['_mcp-auth.example.com', '_mcp-registry.example.com', 'example.com']);
    expect(await proofTxtRecords('example.com', async () => Promise.reject(dnsError('ENODATA')))).toEqual([]);
  });

  it('refuses when the lookup itself fails, saying so', async () => {
    const refusal = await proofTxtRecords('example.com', async () => Promise.reject(dnsError('ESERVFAIL'))).catch((e: unknown) => e);
    expect((refusal as ExchangeRefused).reason).toBe('the DNS lookup of TXT records for example.com failed (queryTxt ESERVFAIL); try again later');
  });
});
