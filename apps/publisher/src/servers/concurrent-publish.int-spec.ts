import type { Pool } from 'pg';
import { bearer, type PublisherTestApp, startPublisher } from '../__fixtures__/publisher-test-app';

// 20 concurrent publishes of different versions of one server: the aggregate's expected
// version serializes them, so all land (or fail cleanly), none is lost and exactly one is latest.
let publisher: PublisherTestApp;

beforeAll(async () => {
  publisher = await startPublisher('concurrent');
}, 60_000);

afterAll(async () => {
  await publisher?.close();
});

it('lands 20 concurrent publishes of one server with exactly one latest', async () => {
  const token = await publisher.anonymousToken();
  const name = 'io.modelcontextprotocol.anonymous/busy';
  const versions = Array.from({ length: 20 }, (_, i) => `1.${i}.0`);
  // Shuffled so that the highest version is not simply the last one sent.
  const order = [...versions].sort(() => Math.random() - 0.5);
  const responses = await Promise.all(
    order.map((version) =>
      publisher.request({
        method: 'POST',
        url: '/v0/publish',
        headers: bearer(token),
        payload: { $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json', name, description: 'busy', version },
      }),
    ),
  );
  for (const response of responses) {
    expect([200, 409]).toContain(response.statusCode);
    if (response.statusCode !== 200) expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  }
  const landed = responses.filter((r) => r.statusCode === 200).length;
  expect(landed).toBe(20);

  const pool = publisher.app.get<symbol, Pool>(Symbol.for('toolport.PgPool'));
  const { rows } = await pool.query<{ type: string; data: { version?: string; latest?: string | null }; stream_version: number }>(
    `select type, data, stream_version from ${publisher.instance}_publisher.events where stream_id = $1 order by stream_version`,
    [`server-${name}`],
  );
  // No duplicate, no gap: every version once, stream versions 1..n.
  const published = rows.filter((r) => r.type === 'VersionPublished').map((r) => r.data.version);
  expect([...published].sort()).toEqual([...versions].sort());
  expect(rows.map((r) => r.stream_version)).toEqual(rows.map((_, i) => i + 1));
  const latestEvents = rows.filter((r) => r.type === 'LatestVersionChanged');
  expect(latestEvents.at(-1)!.data.latest).toBe('1.19.0');

  const listed = await Promise.all(
    versions.map(async (version) => {
      const r = await publisher.request({
        method: 'GET',
        url: `/api/v1/servers/${encodeURIComponent(name)}/versions/${version}/compatibility`,
      });
      return r.statusCode;
    }),
  );
  expect(listed.every((s) => s === 200)).toBe(true);
  // "latest" is one value of the aggregate, moved only by LatestVersionChanged: each change
  // starts from the previous one, so there is never a second latest.
  latestEvents.forEach((event, i) => expect((event.data as { previous: string | null }).previous).toBe(i === 0 ? null : latestEvents[i - 1]!.data.latest));
});
