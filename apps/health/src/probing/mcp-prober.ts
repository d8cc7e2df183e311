import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolSchema } from '@modelcontextprotocol/sdk/types.js';
import { toolHash, toolListHash, type McpTool } from '@toolport/contracts';
import { z } from 'zod/v4';
import { describeProbeError } from './probe-errors';
import { createGuardedNetwork, type GuardedNetworkOptions } from './guarded-fetch';
import { createAddressPolicy, systemResolver, type Resolver } from '@toolport/platform';
import type { ProbeConfig } from './probe-config';
import type { ProbeLatencies, ProbeResult, ProbeTarget, Prober } from './probe-result';

export interface McpProberDeps {
  /** Host name resolution (default: the system resolver); tests answer as a hostile DNS would. */
  resolver?: Resolver;
  /** How the prober introduces itself in `initialize`. */
  clientInfo?: { name: string; version: string };
  /** Told before each TCP connection with the address dialled. */
  onConnect?: GuardedNetworkOptions['onConnect'];
  /** PEM certificates trusted besides Node's root store. */
  extraCaCerts?: readonly string[];
}

/** Time left for closing the session once the result is known (DELETE of the session, socket close). */
const CLOSE_BUDGET_MS = 2_000;

/** Marks the abort of a probe that ran out of time, apart from one its caller cancelled. */
class ProbeTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no complete answer within ${ms} ms`);
  }
}
class ProbeCancelled extends Error {
  constructor() {
    super('probe cancelled');
  }
}

/**
 * `tools/list` as the server sent it: the SDK's own result schema drops members it does not know
 * (an annotation outside the spec, say), and the tool hashes must cover what the server declared,
 * as the scanner hashes what the server.json declared.
 */
const RawListToolsResult = z.looseObject({
  tools: z.array(z.looseObject({ name: z.string() })),
  nextCursor: z.string().optional(),
});

type Phase = 'resolve' | 'initialize' | 'list-tools';

/**
 * A Prober speaking MCP through the official SDK client: resolve and check the host, `initialize`,
 * every page of `tools/list`, close. Every failure becomes a result; nothing is thrown.
 */
export function createMcpProber(config: ProbeConfig, deps: McpProberDeps = {}): Prober {
  const policy = createAddressPolicy(config.allowCidrs);
  const resolver = deps.resolver ?? systemResolver;
  const clientInfo = deps.clientInfo ?? { name: 'toolport-health', version: '0.1.0' };

  return {
    async probe(target: ProbeTarget, signal?: AbortSignal): Promise<ProbeResult> {
      const started = performance.now();
      const since = (t: number) => Math.round((performance.now() - t) * 1000) / 1000;
      const latencies: ProbeLatencies = { resolveMs: 0, initializeMs: null, listToolsMs: null, totalMs: 0 };
      const done = <R extends ProbeResult>(result: R): R => {
        result.latencies.totalMs = since(started);
        return result;
      };
      const secrets = Object.values(target.headers);

      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new ProbeTimeout(config.timeoutMs)), config.timeoutMs);
      const onCancel = () => controller.abort(new ProbeCancelled());
      if (signal?.aborted) onCancel();
      else signal?.addEventListener('abort', onCancel, { once: true });

      const network = createGuardedNetwork({
        policy,
        resolver,
        signal: controller.signal,
        maxResponseBytes: config.maxResponseBytes,
        maxRedirects: config.maxRedirects,
        connectTimeoutMs: config.timeoutMs,
        sensitiveHeaders: Object.keys(target.headers),
        onIncident: (incident) => controller.abort(incident),
        onConnect: deps.onConnect,
        extraCaCerts: deps.extraCaCerts,
      });

      let phase: Phase = 'resolve';
      let client: Client | null = null;
      let transport: StreamableHTTPClientTransport | SSEClientTransport | null = null;
      try {
        let url: URL;
        try {
          url = new URL(target.url);
        } catch {
          return done({ outcome: 'failed', phase: 'connect', reason: 'not a valid URL', latencies });
        }
        if (url.username || url.password) {
          // fetch refuses them, quoting the URL; secrets belong in the target's headers.
          return done({ outcome: 'failed', phase: 'connect', reason: 'URLs with credentials are not probed', latencies });
        }
        let t = performance.now();
        const host = await untilAborted(network.check(url), controller.signal);
        latencies.resolveMs = since(t);
        if (host.kind === 'blocked') return done({ outcome: 'blocked', reason: host.reason, latencies });
        if (host.kind === 'unresolved') return done({ outcome: 'failed', phase: 'connect', reason: host.reason, latencies });

        phase = 'initialize';
        t = performance.now();
        const requestInit: RequestInit = { headers: target.headers };
        transport =
          target.transport === 'sse'
            ? new SSEClientTransport(url, { fetch: network.fetch, requestInit, redirectPolicy: 'follow' })
            : new StreamableHTTPClientTransport(url, {
                fetch: network.fetch,
                requestInit,
                redirectPolicy: 'follow',
                // A probe is one short session: a dropped stream is a finding, not something to retry.
                reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1000, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1 },
              });
        let protocolVersion: string | null = null;
        const setProtocolVersion = transport.setProtocolVersion.bind(transport);
        transport.setProtocolVersion = (version: string) => {
          protocolVersion = version;
          setProtocolVersion(version);
        };
        client = new Client(clientInfo, { capabilities: {} });
        // The probe's own timer is the limit; the SDK's (60 s by default) is only kept from firing first.
        const requestOptions = () => ({ signal: controller.signal, timeout: config.timeoutMs + 1_000 });
        await untilAborted(client.connect(transport, requestOptions()), controller.signal);
        latencies.initializeMs = since(t);
        const serverInfo = client.getServerVersion();
        if (!serverInfo || protocolVersion === null) throw new Error('initialize returned no server info or protocol version');

        phase = 'list-tools';
        t = performance.now();
        const tools: McpTool[] = [];
        if (client.getServerCapabilities()?.tools) {
          const seen = new Set<string>();
          let cursor: string | undefined;
          for (let page = 1; ; page += 1) {
            const params = cursor === undefined ? {} : { cursor };
            const result = await untilAborted(client.request({ method: 'tools/list', params }, RawListToolsResult, requestOptions()), controller.signal);
            for (const tool of result.tools) {
              const checked = ToolSchema.safeParse(tool);
              if (!checked.success) throw new ProtocolViolation(`tools/list returned an invalid tool ${JSON.stringify(tool.name)}: ${checked.error.issues[0]?.message ?? 'invalid'}`);
              tools.push(tool as McpTool);
            }
            cursor = result.nextCursor;
            if (cursor === undefined) break;
            if (seen.has(cursor)) throw new ProtocolViolation(`tools/list returned cursor ${JSON.stringify(cursor.slice(0, 40))} twice`);
            seen.add(cursor);
            if (page >= config.maxToolPages) throw new ProtocolViolation(`tools/list has more than ${config.maxToolPages} pages`);
          }
        }
        latencies.listToolsMs = since(t);

        const toolHashes = tools.map((tool) => ({ name: tool.name, hash: toolHash(tool) }));
        toolHashes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.hash < b.hash ? -1 : 1));
        return done({
          outcome: 'ok',
          latencies,
          serverInfo: { name: serverInfo.name, version: serverInfo.version },
          protocolVersion,
          tools,
          toolHashes,
          toolListHash: toolListHash(tools),
        });
      } catch (error) {
        const incident = network.incident;
        if (incident?.kind === 'blocked') return done({ outcome: 'blocked', reason: incident.reason, latencies });
        const reason = controller.signal.reason;
        if (incident?.kind === 'too-large') return done({ outcome: 'failed', phase: failedPhase(phase), reason: incident.reason, latencies });
        if (reason instanceof ProbeTimeout) {
          return done({ outcome: 'failed', phase: 'timeout', reason: `${reason.message} (during ${phase})`, latencies });
        }
        if (reason instanceof ProbeCancelled) return done({ outcome: 'failed', phase: failedPhase(phase), reason: 'probe cancelled', latencies });
        const described = describeProbeError(error, phase === 'resolve' ? 'initialize' : phase, secrets, network.lastError);
        return done({ outcome: 'failed', phase: described.phase, reason: described.reason, latencies });
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onCancel);
        await closeQuietly(client, transport);
        await network.close();
      }
    },
  };
}

class ProtocolViolation extends Error {}

const failedPhase = (phase: Phase): 'connect' | 'initialize' | 'list-tools' => (phase === 'resolve' ? 'connect' : phase);

/**
 * Rejects with the abort reason as soon as `signal` aborts. Some SDK waits are not tied to any
 * signal (the SSE transport waits for its `endpoint` event, and the EventSource it uses swallows
 * aborts), so the probe races them rather than trusting each to end.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Ends the session (DELETE for Streamable HTTP, when the server gave a session id) and the transport, within a small budget. */
async function closeQuietly(client: Client | null, transport: StreamableHTTPClientTransport | SSEClientTransport | null): Promise<void> {
  if (!transport) return;
  const budget = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_BUDGET_MS).unref());
  const close = async () => {
    if (transport instanceof StreamableHTTPClientTransport && transport.sessionId !== undefined) {
      await transport.terminateSession().catch(() => undefined);
    }
    await (client ? client.close() : transport.close()).catch(() => undefined);
  };
  await Promise.race([close(), budget]);
}
