import { approved, driftDetected, healthChanged, latestChanged, published, rejected, scanCompleted, statusChanged } from '../__fixtures__/catalog-events';
import { catalogChangeOf } from './catalog-change';

const NAME = 'io.github.acme/weather';

describe('catalogChangeOf', () => {
  it('names each event by kind, server, version and the event’s own time', () => {
    expect(catalogChangeOf(published(NAME, '1.0.0'))).toEqual({ kind: 'published', serverName: NAME, version: '1.0.0', at: '2025-06-01T10:00:00.000Z' });
    expect(catalogChangeOf(statusChanged(NAME, '1.0.0', 'active', 'deleted', '2025-06-04T00:00:00.000Z'))).toEqual({ kind: 'status', serverName: NAME, version: '1.0.0', at: '2025-06-04T00:00:00.000Z' });
    expect(catalogChangeOf(latestChanged(NAME, '1.0.0', null))).toEqual({ kind: 'latest', serverName: NAME, version: null, at: '2025-06-05T00:00:00.000Z' });
    expect(catalogChangeOf(scanCompleted(NAME, '1.0.0')).kind).toBe('scan');
    expect(catalogChangeOf(approved(NAME, '1.0.0')).kind).toBe('approval');
    expect(catalogChangeOf(rejected(NAME, '1.0.0')).kind).toBe('approval');
    expect(catalogChangeOf(healthChanged(NAME, '1.0.0', 'https://x.example.com', 'down', '2025-06-06T00:00:00.000Z'))).toMatchObject({ kind: 'health', at: '2025-06-06T00:00:00.000Z' });
    expect(catalogChangeOf(driftDetected(NAME, '1.0.0', 'https://x.example.com', '2025-06-07T00:00:00.000Z'))).toMatchObject({ kind: 'drift', at: '2025-06-07T00:00:00.000Z' });
  });
});
