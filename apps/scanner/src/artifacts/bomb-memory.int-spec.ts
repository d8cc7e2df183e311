import { execFile } from 'node:child_process';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import { type LoopbackServer, sendJson, startLoopbackServer } from '@toolport/testing';
import { tgz } from './__fixtures__/archive-builders';

const run = promisify(execFile);
const MIB = 1024 * 1024;
let server: LoopbackServer;
let bombBytesSent = 0;

/** A gzip of `size` zeros, compressed as it is read: nothing near its inflated size ever exists. */
function zerosGzip(size: number): Readable {
  const chunk = Buffer.alloc(MIB);
  let left = size;
  const zeros = new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      left -= chunk.byteLength;
      this.push(chunk);
    },
  });
  return zeros.pipe(createGzip());
}

beforeAll(async () => {
  const small = tgz([{ name: 'package/package.json', data: '{"name":"small"}' }, { name: 'package/index.js', data: 'module.exports = 1;\n' }]);
  server = await startLoopbackServer((request, response) => {
    const url = request.url ?? '';
    const doc = (name: string) => sendJson(response, 200, { name, version: '1.0.0', dist: { tarball: `${server.url}/${name}/-/${name}-1.0.0.tgz` } });
    if (url === '/small/1.0.0') return doc('small');
    if (url === '/bomb/1.0.0') return doc('bomb');
    if (url === '/small/-/small-1.0.0.tgz') return void response.writeHead(200).end(small);
    if (url === '/bomb/-/bomb-1.0.0.tgz') {
      // 1 GiB of zeros (about 1 MB gzipped), streamed until the client hangs up.
      bombBytesSent = 0;
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      const body = zerosGzip(1024 * MIB);
      body.on('data', (data: Buffer) => (bombBytesSent += data.byteLength));
      response.on('close', () => body.destroy());
      return void body.pipe(response);
    }
    sendJson(response, 404, {});
  });
});

afterAll(async () => {
  await server.close();
});

interface ChildReport {
  warmupFiles: number;
  baselineRss: number;
  peakRss: number;
  contents: unknown;
  findings: Array<{ ruleId: string; severity: string; message: string }>;
}

async function fetchBombInChild(env: Record<string, string>): Promise<ChildReport> {
  const child = path.join(__dirname, '__fixtures__', 'bomb-child.js');
  const { stdout } = await run(process.execPath, [child, server.url, JSON.stringify(env)], { timeout: 120_000, maxBuffer: 4 * MIB, env: { ...process.env, NODE_OPTIONS: '' } });
  return JSON.parse(stdout) as ChildReport;
}

// The bound: what a buffered unpacker would need (the 200 MiB inflated limit) must not show up.
const MAX_GROWTH = 64 * MIB;

describe('rejecting a compression bomb keeps the worker memory bounded (measured in a child process)', () => {
  it('with the default limits: refused by the compression ratio', async () => {
    const report = await fetchBombInChild({});
    expect(report.warmupFiles).toBe(2);
    expect(report.contents).toBeNull();
    expect(report.findings.map((f) => [f.ruleId, f.severity])).toEqual([['TP-ART-002', 'critical']]);
    expect(report.findings[0]!.message).toMatch(/compression ratio over 100/);
    expect(report.peakRss - report.baselineRss).toBeLessThan(MAX_GROWTH);
  });

  it('with the ratio check off: streamed to the 200 MiB inflated limit and refused there, never held', async () => {
    const report = await fetchBombInChild({ TOOLPORT_SCANNER_MAX_COMPRESSION_RATIO: '100000' });
    expect(report.contents).toBeNull();
    expect(report.findings.map((f) => [f.ruleId, f.severity])).toEqual([['TP-ART-002', 'critical']]);
    expect(report.findings[0]!.message).toMatch(/inflates past the 209715200-byte limit/);
    expect(report.peakRss - report.baselineRss).toBeLessThan(MAX_GROWTH);
    // The download stopped early too: far less than the bomb's ~1 MB of gzip was needed.
    expect(bombBytesSent).toBeLessThan(1024 * 1024);
  });
});
