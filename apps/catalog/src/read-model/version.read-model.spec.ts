import { published, statusChanged } from '../__fixtures__/catalog-events';
import { evolveVersion } from './version.read-model';

describe('evolveVersion', () => {
  const publish = published('io.github.acme/weather', '1.0.0', { publishedAt: '2025-06-01T10:00:00.000Z' });

  it('starts a version active, every official timestamp the publish time, server.json kept as published', () => {
    const state = evolveVersion(null, publish);
    expect(state).toMatchObject({ status: 'active', statusMessage: null, statusChangedAt: '2025-06-01T10:00:00.000Z', publishedAt: '2025-06-01T10:00:00.000Z', updatedAt: '2025-06-01T10:00:00.000Z' });
    expect(JSON.parse(state!.serverJson)).toEqual(publish.data.server);
    expect(Object.keys(JSON.parse(state!.serverJson) as object)).toEqual(['$schema', 'name', 'description', 'version']);
  });

  it('keeps a version immutable: a second publish of it changes nothing', () => {
    const state = evolveVersion(null, publish);
    const again = published('io.github.acme/weather', '1.0.0', { publishedAt: '2025-07-01T00:00:00.000Z', server: { name: 'other' } });
    expect(evolveVersion(state, again)).toBe(state);
  });

  it('moves statusChangedAt only when the status changes, updatedAt on every change', () => {
    let state = evolveVersion(null, publish);
    state = evolveVersion(state, statusChanged('io.github.acme/weather', '1.0.0', 'active', 'deprecated', '2025-06-02T00:00:00.000Z', 'use 2.x'));
    expect(state).toMatchObject({ status: 'deprecated', statusMessage: 'use 2.x', statusChangedAt: '2025-06-02T00:00:00.000Z', updatedAt: '2025-06-02T00:00:00.000Z' });
    state = evolveVersion(state, statusChanged('io.github.acme/weather', '1.0.0', 'deprecated', 'deprecated', '2025-06-03T00:00:00.000Z', 'use 3.x'));
    expect(state).toMatchObject({ status: 'deprecated', statusMessage: 'use 3.x', statusChangedAt: '2025-06-02T00:00:00.000Z', updatedAt: '2025-06-03T00:00:00.000Z' });
  });

  it('ignores a status change of a version it does not hold', () => {
    expect(evolveVersion(null, statusChanged('io.github.acme/weather', '9.9.9', 'active', 'deleted', '2025-06-02T00:00:00.000Z'))).toBeNull();
  });
});
