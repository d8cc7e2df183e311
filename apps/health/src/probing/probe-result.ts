import type { McpTool } from '@toolport/contracts';

/** A remote endpoint of a server version, ready to probe. */
export interface ProbeTarget {
  serverName: string;
  version: string;
  transport: 'streamable-http' | 'sse';
  /** The URL with template variables already substituted from their defaults. */
  url: string;
  /** Static headers resolved from secret references in config; never from events, never logged. */
  headers: Record<string, string>;
}

/** Milliseconds spent in each phase of one probe. */
export interface ProbeLatencies {
  /** Address resolution and the SSRF check. */
  resolveMs: number;
  /** `initialize` request to its response (includes connecting). */
  initializeMs: number | null;
  /** All pages of `tools/list`. */
  listToolsMs: number | null;
  totalMs: number;
}

export type ProbeResult =
  | {
      outcome: 'ok';
      latencies: ProbeLatencies;
      serverInfo: { name: string; version: string };
      protocolVersion: string;
      tools: McpTool[];
      /** toolHash per tool (libs/contracts tool-hash.ts), sorted by name. */
      toolHashes: { name: string; hash: string }[];
      toolListHash: string;
    }
  | {
      outcome: 'failed';
      /** The phase that failed. */
      phase: 'connect' | 'initialize' | 'list-tools' | 'timeout';
      reason: string;
      latencies: ProbeLatencies;
    }
  | {
      /** Refused by the SSRF guard before any connection was made. */
      outcome: 'blocked';
      reason: string;
      latencies: ProbeLatencies;
    };

/** Probes one target with a real MCP client session; never throws for a failing target. */
export interface Prober {
  probe(target: ProbeTarget, signal?: AbortSignal): Promise<ProbeResult>;
}
