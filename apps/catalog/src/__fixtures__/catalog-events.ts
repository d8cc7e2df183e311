import type { Actor, EventMetadata } from '@toolport/contracts';
import type {
  HealthCatalogEvent,
  PublisherCatalogEvent,
  ScannerCatalogEvent,
} from '../read-model/catalog-events';

/** Events as the catalog receives them, for unit tests of the pure read-model functions. */
type Of<E, K> = Extract<E, { type: K }>;
let sequence = 0;
export function metadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  sequence += 1;
  return {
    eventId: `0190a000-0000-7000-8000-${String(sequence).padStart(12, '0')}`,
    streamId: 'test',
    streamVersion: sequence,
    occurredAt: '2025-06-01T00:00:00.000Z',
    actor: { kind: 'user', id: 'alice' },
    correlationId: 'test',
    causationId: null,
    traceparent: null,
    ...overrides,
  };
}

export const HASH_A = 'a'.repeat(64);
export const HASH_B = 'b'.repeat(64);

export function published(serverName: string, version: string, overrides: { publishedAt?: string; isLatest?: boolean; server?: Record<string, unknown>; tools?: Array<{ name: string; description?: string; inputSchema: { type: 'object'; properties?: Record<string, unknown> } }> } = {}): Of<PublisherCatalogEvent, 'VersionPublished'> {
  const server = overrides.server ?? { $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json', name: serverName, description: 'A test server', version };
  return {
    type: 'VersionPublished',
    data: {
      serverName,
      version,
      server,
      schemaId: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
      tools: overrides.tools ?? [],
      compatibility: { baseVersion: null, bump: 'none', changes: [], breaking: false, policy: 'warn' },
      publishedAt: overrides.publishedAt ?? '2025-06-01T10:00:00.000Z',
      isLatest: overrides.isLatest ?? true,
    },
    metadata: metadata(),
  };
}

export function statusChanged(serverName: string, version: string, previousStatus: 'active' | 'deprecated' | 'deleted', status: 'active' | 'deprecated' | 'deleted', changedAt: string, statusMessage: string | null = null): Of<PublisherCatalogEvent, 'VersionStatusChanged'> {
  return { type: 'VersionStatusChanged', data: { serverName, version, previousStatus, status, statusMessage, changedAt }, metadata: metadata() };
}

export const scanRequested = (serverName: string, version: string, requestedAt = '2025-06-01T10:00:01.000Z'): Of<ScannerCatalogEvent, 'ScanRequested'> => ({
  type: 'ScanRequested',
  data: { serverName, version, rulesVersion: 'rules-1', reason: 'published', requestedAt },
  metadata: metadata({ actor: { kind: 'service', id: 'scanner' } }),
});

export const scanCompleted = (serverName: string, version: string, overrides: { score?: number; trustLevel?: 'rejected' | 'needs-review' | 'passed' | 'verified'; severities?: Array<'critical' | 'high' | 'medium' | 'low' | 'info'>; completedAt?: string } = {}): Of<ScannerCatalogEvent, 'ScanCompleted'> => ({
  type: 'ScanCompleted',
  data: {
    serverName,
    version,
    rulesVersion: 'rules-1',
    score: overrides.score ?? 90,
    trustLevel: overrides.trustLevel ?? 'passed',
    findings: (overrides.severities ?? []).map((severity, i) => ({
      ruleId: `rule-${i}`,
      ruleVersion: '1',
      severity,
      confidence: 'high' as const,
      location: 'tools.x.description',
      evidence: 'x',
      message: 'finding',
    })),
    tools: [],
    toolListHash: HASH_A,
    completedAt: overrides.completedAt ?? '2025-06-01T10:00:02.000Z',
  },
  metadata: metadata({ actor: { kind: 'service', id: 'scanner' } }),
});

export const scanFailed = (serverName: string, version: string, failedAt = '2025-06-01T10:00:03.000Z'): Of<ScannerCatalogEvent, 'ScanFailed'> => ({
  type: 'ScanFailed',
  data: { serverName, version, rulesVersion: 'rules-1', reason: 'registry unreachable', retryable: true, failedAt },
  metadata: metadata({ actor: { kind: 'service', id: 'scanner' } }),
});

export const approved = (serverName: string, version: string, approvedAt = '2025-06-01T11:00:00.000Z', actor: Actor = { kind: 'user', id: 'rita-reviewer' }): Of<ScannerCatalogEvent, 'VersionApproved'> => ({
  type: 'VersionApproved',
  data: { serverName, version, justification: 'looks fine', trustLevel: 'verified', tools: [], toolListHash: HASH_A, automatic: false, approvedAt },
  metadata: metadata({ actor }),
});

export const rejected = (serverName: string, version: string, rejectedAt = '2025-06-01T11:00:00.000Z'): Of<ScannerCatalogEvent, 'VersionRejected'> => ({
  type: 'VersionRejected',
  data: { serverName, version, justification: 'exfiltrates', rejectedAt },
  metadata: metadata({ actor: { kind: 'user', id: 'rita-reviewer' } }),
});

export const revoked = (serverName: string, version: string, revokedAt = '2025-06-02T09:00:00.000Z'): Of<ScannerCatalogEvent, 'ApprovalRevoked'> => ({
  type: 'ApprovalRevoked',
  data: { serverName, version, justification: 'tool drift', revokedAt },
  metadata: metadata({ actor: { kind: 'user', id: 'rita-reviewer' } }),
});

export const healthChanged = (serverName: string, version: string, remoteUrl: string, status: 'healthy' | 'degraded' | 'down' | 'blocked' | 'unprobeable', checkedAt: string): Of<HealthCatalogEvent, 'HealthStatusChanged'> => ({
  type: 'HealthStatusChanged',
  data: { serverName, version, remoteUrl, previousStatus: null, status, reason: `probe said ${status}`, latencyMs: status === 'down' ? null : 42, checkedAt },
  metadata: metadata({ actor: { kind: 'service', id: 'health' } }),
});

export const driftDetected = (serverName: string, version: string, remoteUrl: string, detectedAt: string): Of<HealthCatalogEvent, 'ToolDriftDetected'> => ({
  type: 'ToolDriftDetected',
  data: { serverName, version, remoteUrl, approvedToolListHash: HASH_A, observedToolListHash: HASH_B, added: ['exfiltrate'], removed: [], changed: ['search'], detectedAt },
  metadata: metadata({ actor: { kind: 'service', id: 'health' } }),
});

export const latestChanged = (serverName: string, previous: string | null, latest: string | null): Of<PublisherCatalogEvent, 'LatestVersionChanged'> => ({
  type: 'LatestVersionChanged',
  data: { serverName, previous, latest },
  metadata: metadata({ occurredAt: '2025-06-05T00:00:00.000Z' }),
});
