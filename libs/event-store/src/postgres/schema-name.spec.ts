import { eventsNotificationChannel } from './postgres-event-store';
import { assertSchemaName } from './schema-name';

describe('schema names', () => {
  it('accepts lower-case unquoted identifiers of up to 63 characters', () => {
    for (const name of ['toolport_publisher', 'a', `a${'b'.repeat(62)}`, 'it_es_0a1b2c3d_es']) expect(assertSchemaName(name)).toBe(name);
  });

  it('rejects anything that would need quoting or could inject SQL', () => {
    for (const name of ['', 'Toolport', '1abc', '_x', 'a-b', 'a b', 'x; DROP TABLE y', 'ä', `a${'b'.repeat(63)}`]) {
      expect(() => assertSchemaName(name)).toThrow(/schema name .* is invalid/);
    }
  });
});

describe('eventsNotificationChannel', () => {
  it('is the schema name with an _events suffix', () => {
    expect(eventsNotificationChannel('toolport_publisher')).toBe('toolport_publisher_events');
  });

  it('stays under the 64-byte channel limit for long schema names and keeps them apart', () => {
    const long1 = `a${'b'.repeat(62)}`;
    const long2 = `a${'b'.repeat(61)}c`;
    const [c1, c2] = [eventsNotificationChannel(long1), eventsNotificationChannel(long2)];
    expect(c1.length).toBeLessThanOrEqual(63);
    expect(c1).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(c1).not.toBe(c2);
  });

  it('validates the schema name', () => {
    expect(() => eventsNotificationChannel('Bad')).toThrow(/invalid/);
  });
});
