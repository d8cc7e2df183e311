import { get } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { NewEvent } from '@toolport/event-store';
import { TEST_ADMIN_KEY } from '@toolport/testing';

export const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const SCHEMA_ID = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

/** A VersionPublished as the publisher appends it, with a description of `descriptionBytes` to make payloads weigh. */
export function versionPublished(serverName: string, version: string, descriptionBytes = 100): NewEvent {
  const description = `${serverName} ${version} `.padEnd(descriptionBytes, 'abcdefghijklmnopqrstuvwxyz0123456789 ');
  return {
    type: 'VersionPublished',
    data: {
      serverName,
      version,
      server: { $schema: SCHEMA_ID, name: serverName, version, description },
      schemaId: SCHEMA_ID,
      tools: [],
      compatibility: { baseVersion: null, bump: 'none', changes: [], breaking: false, policy: 'off' },
      publishedAt: new Date().toISOString(),
      isLatest: true,
    },
  };
}

export const scanRequested = (serverName: string, version: string): NewEvent => ({
  type: 'ScanRequested',
  data: { serverName, version, rulesVersion: '2025.1', reason: 'published', requestedAt: new Date().toISOString() },
});

export const healthStatusChanged = (serverName: string, version: string, status: string): NewEvent => ({
  type: 'HealthStatusChanged',
  data: { serverName, version, remoteUrl: 'https://mcp.example.com/mcp', previousStatus: null, status, reason: 'handshake ok', latencyMs: 12, checkedAt: new Date().toISOString() },
});

/** `global.gc` without starting Node with --expose-gc (V8 accepts the flag at run time for new contexts). */
export function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * The JS heap plus memory outside it (Buffers, including those queued on a socket): a response
 * written in one piece sits in the socket's write queue as Buffers, which heapUsed alone misses.
 */
export function liveMemory(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

export interface StreamedDownload {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: number;
  lines: number;
  /** Live memory after a full GC (JS heap plus Buffers outside it), sampled while the body was being read (bytes). */
  heapSamples: number[];
  /** The first bytes of the body, for looking at the format. */
  head: string;
  /** The last line, for checking the end. */
  lastLine: string;
}

/**
 * GETs `url` over real HTTP (not app.inject, which buffers the whole body) and reads the body as
 * it streams, pausing every `sampleEveryBytes` to collect garbage and sample the live heap.
 */
export function streamedDownload(url: string, headers: Record<string, string>, gc: () => void, sampleEveryBytes = 2 * 1024 * 1024): Promise<StreamedDownload> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const result: StreamedDownload = { status: response.statusCode ?? 0, headers: response.headers, bytes: 0, lines: 0, heapSamples: [], head: '', lastLine: '' };
      let nextSample = sampleEveryBytes;
      let tail = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        result.bytes += Buffer.byteLength(chunk);
        if (result.head.length < 4096) result.head += chunk.slice(0, 4096 - result.head.length);
        for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) result.lines += 1;
        tail = (tail + chunk).slice(-65_536);
        if (result.bytes >= nextSample) {
          nextSample += sampleEveryBytes;
          response.pause();
          setImmediate(() => {
            gc();
            result.heapSamples.push(liveMemory());
            response.resume();
          });
        }
      });
      response.on('end', () => {
        const lines = tail.split('\n').filter((l) => l !== '');
        result.lastLine = lines[lines.length - 1] ?? '';
        resolve(result);
      });
      response.on('error', reject);
    }).on('error', reject);
  });
}
