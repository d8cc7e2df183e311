import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { eventually } from '@toolport/testing';
import { ANON, type CatalogTestEnv, serverJson, startCatalogTestEnv } from '../__fixtures__/catalog-test-env';
import { ChangeFeed } from './change-feed';

// The change feed over real HTTP: versions published through the real publisher, projected by a
// listening production catalog, read by a fetch-based SSE client that disconnects and resumes.
let env: CatalogTestEnv;
let catalog: NestFastifyApplication | undefined;
let baseUrl: string;
/** Reviewers get every change; an agent without a role only those about versions approved at some point. */
let asReviewer: Record<string, string>;
const NAME = `${ANON}/feed-watch`;

interface SseEvent {
  id: number;
  event: string;
  data: { id: number; kind: string; serverName: string; version: string | null; at: string };
}

interface Subscription {
  response: Response;
  events: SseEvent[];
  /** Settles when the server ends the stream (or close() aborted it). */
  ended: Promise<void>;
  close(): Promise<void>;
}

function parseEvent(block: string): SseEvent | null {
  const fields = new Map<string, string>();
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(': ');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 2));
  }
  if (!fields.has('data')) return null;
  return { id: Number(fields.get('id')), event: fields.get('event')!, data: JSON.parse(fields.get('data')!) as SseEvent['data'] };
}

async function subscribe(headers: Record<string, string> = {}, query = '', as: Record<string, string> = asReviewer): Promise<Subscription> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/changes${query}`, { headers: { ...as, ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const event = parseEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event) events.push(event);
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  })();
  return {
    response,
    events,
    ended,
    async close() {
      abort.abort();
      await ended;
    },
  };
}

const published = (events: SseEvent[], version: string) => events.find((e) => e.event === 'published' && e.data.serverName === NAME && e.data.version === version);
const storedIdsAfter = async (id: number) =>
  (await env.catalogPool.query<{ id: string }>(`SELECT id FROM ${env.catalogSchema}.changes WHERE id > $1 ORDER BY id`, [id])).rows.map((r) => Number(r.id));
const openStreams = () => catalog!.get(ChangeFeed, { strict: false }).openStreams;

beforeAll(async () => {
  env = await startCatalogTestEnv('changesfeed');
  catalog = await env.startProductionCatalog();
  await catalog.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(catalog.getHttpServer().address() as AddressInfo).port}`;
  asReviewer = { authorization: `Bearer ${await env.tokenWithRoles('rita-reviewer', ['reviewer'])}` };
}, 120_000);

afterAll(async () => {
  await catalog?.close();
  await env?.close();
});

describe('GET /api/v1/changes', () => {
  let firstId = 0;
  let seenLive: number[] = [];

  it('streams a published version as an SSE event with its id, and unsubscribes when the client leaves', async () => {
    const live = await subscribe();
    expect(live.response.status).toBe(200);
    expect(live.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await env.publish(serverJson(NAME, '1.0.0'));
    await env.publish(serverJson(NAME, '1.1.0'));
    const first = await eventually(async () => published(live.events, '1.0.0'), { what: 'the published event of 1.0.0', timeoutMs: 20_000 });
    await eventually(async () => published(live.events, '1.1.0'), { what: 'the published event of 1.1.0', timeoutMs: 20_000 });
    expect(first.id).toBe(first.data.id);
    expect(first.data).toMatchObject({ kind: 'published', serverName: NAME, version: '1.0.0' });
    expect(Number.isNaN(Date.parse(first.data.at))).toBe(false);
    firstId = first.id;
    seenLive = live.events.map((e) => e.id);
    await live.close();
    await eventually(async () => (openStreams() === 0 ? true : undefined), { what: 'the feed to drop the closed stream', timeoutMs: 5_000 });
  });

  it('resumes after Last-Event-ID with exactly the later changes, none twice, then continues live', async () => {
    // Missed while disconnected: a publish and an approval.
    await env.publish(serverJson(NAME, '1.2.0'));
    await env.scanner.append(`review-${NAME}@1.0.0`, [
      {
        type: 'VersionApproved',
        data: { serverName: NAME, version: '1.0.0', justification: 'ok', trustLevel: 'passed', tools: [], toolListHash: 'a'.repeat(64), automatic: false, approvedAt: new Date().toISOString() },
      },
    ]);
    await env.caughtUp();
    const stored = await storedIdsAfter(firstId);
    expect(stored).toEqual(expect.arrayContaining(seenLive.filter((id) => id > firstId)));

    const resumed = await subscribe({ 'last-event-id': String(firstId) });
    await eventually(async () => (resumed.events.length >= stored.length ? true : undefined), { what: 'the replay', timeoutMs: 10_000 });
    expect(resumed.events.map((e) => e.id)).toEqual(stored);
    expect(resumed.events.map((e) => e.event)).toEqual(expect.arrayContaining(['published', 'approval']));
    expect(published(resumed.events, '1.0.0')).toBeUndefined();
    expect(published(resumed.events, '1.2.0')).toBeDefined();

    await env.publish(serverJson(NAME, '1.3.0'));
    await eventually(async () => published(resumed.events, '1.3.0'), { what: 'the live event after the replay', timeoutMs: 20_000 });
    await env.caughtUp();
    await eventually(async () => (resumed.events.length === (await storedIdsAfter(firstId)).length ? true : undefined), { what: 'every stored change', timeoutMs: 10_000 });
    expect(resumed.events.map((e) => e.id)).toEqual(await storedIdsAfter(firstId));
    await resumed.close();
  });

  it('resumes from ?after= too, and refuses a malformed resume point with 400 problem+json', async () => {
    const fromStart = await subscribe({}, '?after=0');
    const all = await storedIdsAfter(0);
    await eventually(async () => (fromStart.events.length >= all.length ? true : undefined), { what: 'the full replay', timeoutMs: 10_000 });
    expect(fromStart.events.map((e) => e.id)).toEqual(all);
    await fromStart.close();

    const bad = await fetch(`${baseUrl}/api/v1/changes`, { headers: { 'last-event-id': 'yesterday' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await bad.json()) as { code: string }).toMatchObject({ code: 'INVALID_CHANGE_ID' });
  });

  it('sends a caller without a reviewer role only the changes about versions approved at some point', async () => {
    const agent = await subscribe({}, '?after=0', {});
    // 2.0.0 is approved and then revoked: the agent hears of both; 2.1.0 stays pending: nothing of it.
    await env.publish(serverJson(NAME, '2.0.0'));
    await env.publish(serverJson(NAME, '2.1.0'));
    const approval = (version: string, type: 'VersionApproved' | 'ApprovalRevoked') => ({
      type,
      data:
        type === 'VersionApproved'
          ? { serverName: NAME, version, justification: 'ok', trustLevel: 'passed', tools: [], toolListHash: 'a'.repeat(64), automatic: false, approvedAt: new Date().toISOString() }
          : { serverName: NAME, version, justification: 'compromised', revokedAt: new Date().toISOString() },
    });
    await env.scanner.append(`review-${NAME}@2.0.0`, [approval('2.0.0', 'VersionApproved'), approval('2.0.0', 'ApprovalRevoked')]);
    await env.caughtUp();
    const sees = (kind: string, version: string) => agent.events.filter((e) => e.event === kind && e.data.version === version).length;
    await eventually(async () => (sees('approval', '2.0.0') === 2 ? true : undefined), { what: "the agent's approval and revocation of 2.0.0", timeoutMs: 20_000 });
    const { rows } = await env.catalogPool.query<{ id: string }>(`SELECT id FROM ${env.catalogSchema}.changes WHERE approved_once ORDER BY id`);
    expect(agent.events.map((e) => e.id)).toEqual(rows.map((r) => Number(r.id)));
    expect(agent.events.map((e) => e.data.version)).not.toContain('2.1.0');
    expect(agent.events.map((e) => e.data.version)).not.toContain('1.2.0');
    expect(sees('approval', '1.0.0')).toBe(1);
    await agent.close();
  });

  it('ends open streams when the catalog shuts down, so shutdown does not hang', async () => {
    const open = await subscribe();
    await eventually(async () => (openStreams() === 1 ? true : undefined), { what: 'the stream to open', timeoutMs: 5_000 });
    await catalog!.close();
    catalog = undefined;
    await open.ended;
  });
});
