import { Type } from '@sinclair/typebox';
import { defineEvent, defineSharedEvent, EventRegistry } from './event-registry';
import { ALL_EVENTS } from './events';

const Owned = defineEvent({ service: 'publisher', aggregate: 'thing', type: 'ThingHappened', schema: Type.Object({ n: Type.Integer() }) });
const Shared = defineSharedEvent({
  aggregate: 'auth',
  type: 'SomethingObserved',
  schema: Type.Object({ service: Type.String(), n: Type.Integer() }, { additionalProperties: false }),
});

describe('EventRegistry with shared events', () => {
  it('routes a shared type to the registry owner, one subject per service', () => {
    const catalog = new EventRegistry([Owned, Shared], { owner: 'catalog' });
    const health = new EventRegistry([Owned, Shared], { owner: 'health' });
    expect(catalog.definition('SomethingObserved').service).toBe('catalog');
    expect(catalog.subjectFor('tp', 'SomethingObserved')).toBe('tp.catalog.auth.SomethingObserved');
    expect(health.subjectFor('tp', 'SomethingObserved')).toBe('tp.health.auth.SomethingObserved');
    // Owned types keep their one owner whoever builds the registry.
    expect(catalog.subjectFor('tp', 'ThingHappened')).toBe('tp.publisher.thing.ThingHappened');
    expect(catalog.isShared('SomethingObserved')).toBe(true);
    expect(catalog.isShared('ThingHappened')).toBe(false);
  });

  it('refuses on append data that names another service, and validates the schema as for any type', () => {
    const catalog = new EventRegistry([Shared], { owner: 'catalog' });
    expect(catalog.check({ type: 'SomethingObserved', data: { service: 'catalog', n: 1 } })).toEqual([]);
    expect(catalog.check({ type: 'SomethingObserved', data: { service: 'publisher', n: 1 } })).toEqual([
      { path: 'data.service', message: 'must be "catalog": a service emits shared events only about itself' },
    ]);
    expect(catalog.check({ type: 'SomethingObserved', data: { service: 'catalog', n: 'x' } }).map((i) => i.path)).toEqual(['data.n']);
  });

  it('checks a consumed shared event against the service whose stream it came from', () => {
    const audit = new EventRegistry([Shared], { owner: 'audit' });
    expect(audit.check({ type: 'SomethingObserved', data: { service: 'catalog', n: 1 } }, { emitter: 'catalog' })).toEqual([]);
    expect(audit.check({ type: 'SomethingObserved', data: { service: 'catalog', n: 1 } }, { emitter: 'health' }).map((i) => i.path)).toEqual(['data.service']);
    expect(() => audit.assertValid({ type: 'SomethingObserved', data: { service: 'catalog', n: 1 } })).toThrow(/data.service must be "audit"/);
  });

  it('validates but cannot route a shared type without an owner', () => {
    const unowned = new EventRegistry([Shared]);
    expect(unowned.check({ type: 'SomethingObserved', data: { service: 'anything', n: 1 } })).toEqual([]);
    expect(() => unowned.subjectFor('tp', 'SomethingObserved')).toThrow(/shared: only a registry built for a service/);
  });

  it('requires a shared event to carry the service in its data, and a type to be defined once', () => {
    expect(() => defineSharedEvent({ aggregate: 'auth', type: 'NoService', schema: Type.Object({ n: Type.Integer() }) })).toThrow(/"service" property/);
    expect(() => new EventRegistry([Shared, { ...Owned, type: 'SomethingObserved' }])).toThrow(/defined twice/);
  });

  it('ALL_EVENTS builds a registry for every service', () => {
    for (const owner of ['publisher', 'catalog', 'scanner', 'health', 'audit'] as const) {
      expect(new EventRegistry(ALL_EVENTS, { owner }).subjectFor('tp', 'AuthenticationFailureBurstDetected')).toBe(`tp.${owner}.auth.AuthenticationFailureBurstDetected`);
    }
  });
});
