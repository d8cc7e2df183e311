import type { McpTool } from '@toolport/contracts';
import type { CatalogEntry } from '../read-model/catalog-entry.query';
import { initialSecurityState } from '../read-model/security.read-model';

/** A read-model entry for unit tests of the mappings (documents, official responses). */
export function entry(overrides: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    serverName: 'io.github.acme/weather',
    version: '1.2.0',
    serverJson: JSON.stringify({
      $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
      name: 'io.github.acme/weather',
      title: 'Weather',
      description: 'Forecasts and alerts',
      version: '1.2.0',
      packages: [
        { registryType: 'npm', identifier: '@acme/weather-mcp', version: '1.2.0', transport: { type: 'stdio' } },
        { registryType: 'oci', identifier: 'ghcr.io/acme/weather', transport: { type: 'streamable-http', url: 'http://localhost:8080/mcp' } },
      ],
      remotes: [{ type: 'sse', url: 'https://weather.acme.example/sse' }],
      _meta: { 'io.modelcontextprotocol.registry/publisher-provided': { keywords: ['forecast', 'rain'], tags: ['weather', 'rain'] } },
    }),
    status: 'active',
    statusMessage: null,
    statusChangedAt: '2025-06-01T10:00:00.000Z',
    publishedAt: '2025-06-01T10:00:00.000Z',
    updatedAt: '2025-06-01T10:00:00.000Z',
    isLatest: true,
    tools: [
      { name: 'get_forecast', description: 'Forecast for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } } } as McpTool['inputSchema'] },
      { name: 'list_alerts', title: 'Alerts', inputSchema: { type: 'object' } },
    ],
    security: null,
    health: null,
    ...overrides,
  };
}

export const approvedSecurity = () => ({
  ...initialSecurityState(),
  scanStatus: 'completed' as const,
  scanFinishedAt: '2025-06-01T10:00:02.000Z',
  rulesVersion: 'rules-1',
  trustLevel: 'verified' as const,
  score: 97,
  findings: { critical: 0, high: 0, medium: 1, low: 0, info: 2 },
  approval: 'approved' as const,
  approvalBy: { kind: 'user' as const, id: 'rita-reviewer' },
  approvalAt: '2025-06-01T11:00:00.000Z',
  approvalJustification: 'fine',
  approvalAutomatic: false,
});
