import type { KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { payloadDigest, recordLeafHash } from '../../transparency-log/canonical-json';
import type { AuditRecord, ConsistencyProofResponse, InclusionProofResponse, SignedTreeHead } from '../../transparency-log/log-format';
import { MerkleTree } from '../../transparency-log/merkle-tree';
import { signTreeHead } from '../../transparency-log/tree-head';

/** Audit records 1..count with varied fields, each with its true payload digest. */
export function makeRecords(count: number): AuditRecord[] {
  return Array.from({ length: count }, (_, index) => {
    const seq = index + 1;
    const payload = { name: `io.example/server-${seq % 7}`, version: `1.${seq}.0`, notes: { seq, tags: ['a', 'b'] } };
    return {
      seq,
      eventId: `0190a3e4-8c1e-7b3a-9f00-${String(seq).padStart(12, '0')}`,
      type: seq % 3 === 0 ? 'VersionApproved' : 'VersionPublished',
      streamId: `server-io.example/server-${seq % 7}`,
      actor: seq % 2 === 0 ? { kind: 'user', id: 'alice' } : { kind: 'token', id: 'ci-robot' },
      occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(),
      subject: seq % 5 === 0 ? null : { serverName: payload.name, version: payload.version },
      summary: `${seq % 2 === 0 ? 'alice' : 'ci-robot'} did thing ${seq}`,
      payloadDigest: payloadDigest(payload),
      payload,
    };
  });
}

/** A log as the audit service would hold it: records, their tree, and heads signed at some sizes. */
export class AuditLogFixture {
  readonly tree: MerkleTree;
  readonly heads = new Map<number, SignedTreeHead>();
  /** Set by a test to make the server lie about one kind of answer. */
  readonly lies: {
    record?: (record: AuditRecord) => AuditRecord;
    latestHead?: (head: SignedTreeHead) => SignedTreeHead;
  } = {};
  /** Paths requested, for assertions on what the verifier asked. */
  readonly requests: string[] = [];
  private server: Server | null = null;

  constructor(
    readonly records: AuditRecord[],
    headSizes: readonly number[],
    privateKey: KeyObject,
    private readonly token: string | null = null,
  ) {
    this.tree = MerkleTree.from(records.map(recordLeafHash));
    for (const size of headSizes) this.signHead(size, privateKey);
  }

  signHead(size: number, privateKey: KeyObject): SignedTreeHead {
    const head = signTreeHead({ treeSize: size, rootHash: this.tree.rootHash(size), timestamp: new Date(Date.UTC(2025, 1, 1, 0, 0, size)) }, privateKey);
    this.heads.set(size, head);
    return head;
  }

  get latest(): SignedTreeHead {
    const size = Math.max(...this.heads.keys());
    return this.heads.get(size)!;
  }

  async listen(): Promise<string> {
    if (this.server) throw new Error('this fixture is already listening');
    const server = createServer((request, response) => this.handle(request, response));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://fixture');
    this.requests.push(`${url.pathname}${url.search}`);
    if (this.token !== null && request.headers['authorization'] !== `Bearer ${this.token}`) {
      return problem(response, 401, 'This request needs a bearer token');
    }
    const query = (name: string): number => Number(url.searchParams.get(name));
    const path = url.pathname;
    let match: RegExpMatchArray | null;
    if (path === '/api/v1/audit/heads/latest') {
      return json(response, (this.lies.latestHead ?? same)(this.latest));
    }
    if (path === '/api/v1/audit/heads') {
      const head = this.heads.get(query('treeSize'));
      return head ? json(response, head) : problem(response, 404, `no signed head of tree size ${url.searchParams.get('treeSize')}`);
    }
    if ((match = /^\/api\/v1\/audit\/records\/(\d+)$/.exec(path))) {
      const record = this.records[Number(match[1]) - 1];
      return record ? json(response, (this.lies.record ?? same)(record)) : problem(response, 404, `no record ${match[1]}`);
    }
    if ((match = /^\/api\/v1\/audit\/records\/(\d+)\/proof$/.exec(path))) {
      const seq = Number(match[1]);
      const treeSize = query('treeSize');
      if (seq < 1 || seq > treeSize || treeSize > this.tree.size) return problem(response, 404, `record ${seq} is not in a tree of ${treeSize}`);
      const body: InclusionProofResponse = {
        seq,
        leafIndex: seq - 1,
        treeSize,
        leafHash: this.tree.leafHash(seq - 1).toString('hex'),
        proof: this.tree.inclusionProof(seq - 1, treeSize).map((hash) => hash.toString('hex')),
        rootHash: this.tree.rootHash(treeSize).toString('hex'),
      };
      return json(response, body);
    }
    if (path === '/api/v1/audit/consistency') {
      const [first, second] = [query('first'), query('second')];
      if (!(first <= second && second <= this.tree.size)) return problem(response, 400, `no consistency proof from ${first} to ${second}`);
      const body: ConsistencyProofResponse = { first, second, proof: this.tree.consistencyProof(first, second).map((hash) => hash.toString('hex')) };
      return json(response, body);
    }
    problem(response, 404, `no route ${path}`);
  }
}

const same = <T>(value: T): T => value;

function json(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function problem(response: ServerResponse, status: number, detail: string): void {
  response.writeHead(status, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: 'about:blank', status, detail }));
}
