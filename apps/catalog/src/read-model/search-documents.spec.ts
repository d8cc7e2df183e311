import { approvedSecurity, entry } from '../__fixtures__/catalog-entry';
import { namespaceOf, toServerDocument, toToolDocuments } from './search-documents';

describe('toServerDocument', () => {
  it('maps a version with its packages, remotes, keywords and tools', () => {
    expect(toServerDocument(entry())).toEqual({
      id: 'io.github.acme/weather@1.2.0',
      serverName: 'io.github.acme/weather',
      namespace: 'io.github.acme',
      version: '1.2.0',
      title: 'Weather',
      description: 'Forecasts and alerts',
      keywords: ['forecast', 'rain', 'weather'],
      toolNames: ['get_forecast', 'list_alerts'],
      toolDescriptions: ['Forecast for a city'],
      packageIdentifiers: ['@acme/weather-mcp', 'ghcr.io/acme/weather'],
      registryTypes: ['npm', 'oci'],
      transports: ['stdio', 'streamable-http', 'sse'],
      trustLevel: null,
      score: null,
      approved: false,
      health: null,
      status: 'active',
      isLatest: true,
      publishedAt: '2025-06-01T10:00:00.000Z',
      updatedAt: '2025-06-01T10:00:00.000Z',
    });
  });

  it('carries the security and health state', () => {
    const document = toServerDocument(entry({ security: approvedSecurity(), health: { status: 'degraded', checkedAt: '2025-06-01T12:00:00.000Z', driftDetectedAt: null, remotes: [] }, status: 'deprecated', isLatest: false }));
    expect(document).toMatchObject({ trustLevel: 'verified', score: 97, approved: true, health: 'degraded', status: 'deprecated', isLatest: false });
  });

  it('tolerates a minimal server.json', () => {
    const document = toServerDocument(entry({ serverJson: JSON.stringify({ name: 'com.example/min', version: '1.0.0', description: 'x' }), tools: [] }));
    expect(document).toMatchObject({ title: null, keywords: [], packageIdentifiers: [], registryTypes: [], transports: [], toolNames: [] });
  });
});

describe('toToolDocuments', () => {
  it('makes one document per tool with its top-level parameter names', () => {
    const [forecast, alerts] = toToolDocuments(entry({ security: approvedSecurity() }));
    expect(forecast).toEqual({
      id: 'io.github.acme/weather@1.2.0#get_forecast',
      serverName: 'io.github.acme/weather',
      namespace: 'io.github.acme',
      version: '1.2.0',
      toolName: 'get_forecast',
      title: null,
      description: 'Forecast for a city',
      parameterNames: ['city', 'days'],
      registryTypes: ['npm', 'oci'],
      transports: ['stdio', 'streamable-http', 'sse'],
      trustLevel: 'verified',
      approved: true,
      health: null,
      status: 'active',
      isLatest: true,
    });
    expect(alerts).toMatchObject({ toolName: 'list_alerts', title: 'Alerts', description: '', parameterNames: [] });
  });
});

it('namespaceOf takes the part before the slash', () => {
  expect(namespaceOf('com.example.sub/tool')).toBe('com.example.sub');
});
