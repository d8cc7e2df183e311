import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { payloadDigest } from '../transparency-log/canonical-json';
import { ed25519PrivateKeyFromSeed, publicKeyBase64, publicKeyOf, publicKeyPem } from '../transparency-log/signing-key';
import { AuditLogFixture, makeRecords } from './__fixtures__/audit-log-server';
import { runVerifierCli } from './cli';
import { parseVerifierArgs } from './config';

/*
 * The verifier CLI end to end against a real HTTP server (node:http on loopback) that serves a log
 * built with the transparency-log functions, honest or lying. Nothing else runs: no database, NATS
 * or Redis, so there is no instance to isolate.
 */
const privateKey = ed25519PrivateKeyFromSeed('4f'.repeat(32));
const publicKey = publicKeyBase64(publicKeyOf(privateKey));
const TOKEN = 'auditor-token';
const HEAD_SIZES = [10, 25, 50];

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

async function verify(url: string, args: string[], env: Record<string, string> = { TOOLPORT_TOKEN: TOKEN }): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const status = await runVerifierCli(() => parseVerifierArgs(['--url', url, '--public-key', publicKey, ...args], env), {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { status, stdout, stderr };
}

describe('audit:verify against an HTTP audit log', () => {
  const fixtures: AuditLogFixture[] = [];
  const tempDirs: string[] = [];

  async function serve(fixture: AuditLogFixture): Promise<string> {
    fixtures.push(fixture);
    return fixture.listen();
  }
  const honestLog = (): AuditLogFixture => new AuditLogFixture(makeRecords(50), HEAD_SIZES, privateKey, TOKEN);

  afterAll(async () => {
    await Promise.all(fixtures.map((fixture) => fixture.close()));
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the latest head, a record and the consistency of two heads of an honest log', async () => {
    const fixture = honestLog();
    const url = await serve(fixture);
    const run = await verify(url, ['--seq', '7', '--first', '10', '--second', '50']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('ok    the latest signed head: tree size 50');
    expect(run.stdout).toContain('ok    record 7: included in the signed tree of size 50');
    expect(run.stdout).toContain('ok    consistency 10 → 50: the signed tree of size 10 is a prefix of the one of size 50');
    expect(run.stdout).toMatch(/verified: 7 checks passed/);
    expect(fixture.requests).toEqual([
      '/api/v1/audit/heads/latest',
      '/api/v1/audit/records/7',
      '/api/v1/audit/records/7/proof?treeSize=50',
      '/api/v1/audit/heads?treeSize=10',
      '/api/v1/audit/heads?treeSize=50',
      '/api/v1/audit/consistency?first=10&second=50',
    ]);
  });

  it('proves every record and every pair of heads, the first and the last included', async () => {
    const url = await serve(honestLog());
    for (const seq of [1, 2, 25, 49, 50]) expect((await verify(url, ['--seq', String(seq)])).status).toBe(0);
    for (const [first, second] of [[10, 25], [25, 50], [10, 10]]) {
      expect((await verify(url, ['--first', String(first), '--second', String(second)])).status).toBe(0);
    }
    expect((await verify(url, ['--first', '25'])).stdout).toContain('consistency 25 → 50'); // --second defaults to the latest
  });

  it('prints a JSON report with --json, and reads the key from a PEM file and the token from --token', async () => {
    const url = await serve(honestLog());
    const dir = mkdtempSync(join(tmpdir(), 'audit-verify-'));
    tempDirs.push(dir);
    const keyFile = join(dir, 'audit-log.pub.pem');
    writeFileSync(keyFile, publicKeyPem(privateKey));
    let stdout = '';
    const status = await runVerifierCli(
      () => parseVerifierArgs(['--url', `${url}/`, '--public-key', keyFile, '--token', TOKEN, '--seq', '3', '--json'], {}),
      { stdout: (text) => (stdout += text), stderr: (text) => (stdout += text) },
    );
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as { ok: boolean; checks: { check: string; status: string }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map(({ check, status: s }) => `${check}:${s}`)).toEqual(['latest-head:ok', 'record:ok', 'payload-digest:ok', 'inclusion:ok']);
  });

  it('fails a record whose fields were changed after it was logged', async () => {
    const fixture = honestLog();
    fixture.lies.record = (record) => (record.seq === 7 ? { ...record, actor: { kind: 'user', id: 'mallory' } } : record);
    const run = await verify(await serve(fixture), ['--seq', '7']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^FAIL {2}record 7: the record as served hashes to leaf [0-9a-f]{64}, but the log proves leaf [0-9a-f]{64}: the record was altered after it was logged$/m);
    expect(run.stderr).toContain('NOT VERIFIED: 1 of 4 checks');
  });

  it('fails a record whose payload was changed, even with its leaf intact', async () => {
    const fixture = honestLog();
    fixture.lies.record = (record) => ({ ...record, payload: { ...(record.payload as object), version: '6.6.6' } });
    const run = await verify(await serve(fixture), ['--seq', '12']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('FAIL  record 12: its payload does not match its payloadDigest');
    expect(run.stdout).toContain('ok    record 12: included in the signed tree of size 50');
  });

  it('fails a record whose payload and digest were both changed: the leaf no longer matches', async () => {
    const fixture = honestLog();
    fixture.lies.record = (record) => {
      const payload = { ...(record.payload as object), version: '6.6.6' };
      return { ...record, payload, payloadDigest: payloadDigest(payload) };
    };
    const run = await verify(await serve(fixture), ['--seq', '12']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('FAIL  record 12: the record as served hashes to leaf');
  });

  it('fails a forged head: an altered root under the original signature, and nothing is proven against it', async () => {
    const fixture = honestLog();
    const forgedRoot = fixture.tree.rootHash(49).toString('hex');
    fixture.lies.latestHead = (head) => ({ ...head, rootHash: forgedRoot });
    const run = await verify(await serve(fixture), ['--seq', '7']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('FAIL  the latest signed head (tree size 50) does not verify: the signature does not match the head (forged or altered)');
    expect(run.stderr).toContain('SKIP  record 7: inclusion not checked');
  });

  it('fails a head signed by another key, whatever keyId it claims', async () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    const fixture = honestLog();
    const forged = fixture.signHead(50, other);
    const url = await serve(fixture);
    const run = await verify(url, []);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`does not verify: signed by key ${forged.keyId}, not by the given key`);
    fixture.lies.latestHead = (head) => ({ ...head, keyId: fixture.heads.get(10)!.keyId });
    expect((await verify(url, [])).stderr).toContain('the signature does not match the head');
  });

  it('fails consistency when history was rewritten under heads already signed', async () => {
    const original = honestLog();
    const records = makeRecords(50);
    records[4] = { ...records[4]!, summary: 'nothing happened here' };
    // The operator rewrote record 5 and re-signed the current head, but heads 10 and 25 were
    // signed (and copied by others) before: the log cannot prove its new tree extends them.
    const rewritten = new AuditLogFixture(records, [50], privateKey, TOKEN);
    rewritten.heads.set(10, original.heads.get(10)!);
    rewritten.heads.set(25, original.heads.get(25)!);
    const url = await serve(rewritten);
    const run = await verify(url, ['--first', '10', '--second', '50']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("FAIL  consistency 10 → 50: the proof does not link the two signed roots: the log's history was rewritten");
    expect((await verify(url, ['--first', '10', '--second', '25'])).status).toBe(1);
    expect((await verify(url, ['--seq', '30'])).status).toBe(0); // an untouched record of the new head still proves
  });

  it('fails a record the latest head does not cover yet, a missing head and a wrong token', async () => {
    const fixture = new AuditLogFixture(makeRecords(60), HEAD_SIZES, privateKey, TOKEN);
    const url = await serve(fixture);
    expect((await verify(url, ['--seq', '55'])).stderr).toContain('FAIL  record 55: not covered by the latest signed head, which has 50 records');
    const missing = await verify(url, ['--first', '11', '--second', '50']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('FAIL  the signed head of tree size 11: could not be fetched: GET');
    expect(missing.stderr).toContain('answered 404: no signed head of tree size 11');
    expect(missing.stderr).toContain('SKIP  consistency 11 → 50 not checked');
    const unauthorised = await verify(url, [], { TOOLPORT_TOKEN: 'wrong' });
    expect(unauthorised.status).toBe(1);
    expect(unauthorised.stderr).toContain('answered 401: This request needs a bearer token');
  });

  it('fails clearly when nothing listens at the URL', async () => {
    const port = await freePort();
    const run = await verify(`http://127.0.0.1:${port}`, []);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/FAIL {2}the latest signed head: could not be fetched: GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/audit\/heads\/latest failed: ECONNREFUSED/);
  });

  it('answers --help and refuses wrong arguments with status 2', async () => {
    let help = '';
    expect(await runVerifierCli(() => parseVerifierArgs(['--help'], {}), { stdout: (t) => (help += t), stderr: (t) => (help += t) })).toBe(0);
    expect(help).toContain('Usage: npm run audit:verify -- --url <base URL> --public-key <file or base64>');
    let error = '';
    const sink = { stdout: (t: string) => (error += t), stderr: (t: string) => (error += t) };
    expect(await runVerifierCli(() => parseVerifierArgs(['--public-key', publicKey], {}), sink)).toBe(2);
    expect(error).toContain('audit:verify: --url is required');
  });
});

/** A loopback port nobody listens on (bound, read, released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
