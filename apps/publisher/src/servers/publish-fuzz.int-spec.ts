import fc from 'fast-check';
import type { Pool } from 'pg';
import { bearer, officialExamples, type PublisherTestApp, startPublisher } from '../__fixtures__/publisher-test-app';

// Property-based fuzzing of the publish body: whatever arrives, the answer is never a 5xx, every
// refusal is problem+json, and a refused body stores nothing (an accepted one stores one version).
let publisher: PublisherTestApp;
let token: string;
let pool: Pool;

beforeAll(async () => {
  publisher = await startPublisher('fuzz');
  token = await publisher.anonymousToken();
  pool = publisher.app.get<symbol, Pool>(Symbol.for('toolport.PgPool'));
}, 60_000);

afterAll(async () => {
  await publisher?.close();
});

const countEvents = async () => Number((await pool.query(`select count(*) from ${publisher.instance}_publisher.events where type = 'VersionPublished'`)).rows[0].count);

const base = officialExamples().map((e) => e.server);

/** Mutations of valid documents: the interesting bodies are nearly valid ones. */
const nearlyValid = fc
  .tuple(
    fc.constantFrom(...base),
    fc.array(fc.tuple(fc.constantFrom('name', 'version', 'description', 'title', 'packages', 'remotes', 'websiteUrl', 'repository', '_meta', '$schema', 'icons'), fc.jsonValue()), { maxLength: 3 }),
    fc.string({ maxLength: 12 }),
  )
  .map(([doc, edits, suffix]) => {
    const copy: Record<string, unknown> = { ...structuredClone(doc), version: `${doc.version}-fuzz.${Buffer.from(suffix).toString('hex') || '0'}` };
    for (const [key, value] of edits) copy[key] = value;
    return copy;
  });

const bodies = fc.oneof(
  { weight: 3, arbitrary: nearlyValid },
  { weight: 1, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue(), { maxKeys: 8 }) },
);

it('never answers 5xx, refuses with problem+json and stores nothing for a refused body', async () => {
  await fc.assert(
    fc.asyncProperty(bodies, async (body) => {
      const before = await countEvents();
      const response = await publisher.request({
        method: 'POST',
        url: '/v0/publish',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
      expect(response.statusCode).toBeLessThan(500);
      const after = await countEvents();
      if (response.statusCode === 200) {
        expect(after).toBe(before + 1);
      } else {
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        const problem = response.json<{ status: number; detail: string }>();
        expect(problem.status).toBe(response.statusCode);
        expect(problem.detail.length).toBeGreaterThan(0);
        expect(after).toBe(before);
      }
    }),
    { numRuns: 2000 },
  );
}, 300_000);

it('survives bodies that are not JSON objects at all', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 200 }), async (raw) => {
      const response = await publisher.request({ method: 'POST', url: '/v0/publish', headers: { ...bearer(token), 'content-type': 'application/json' }, payload: raw });
      expect(response.statusCode).toBeLessThan(500);
      if (response.statusCode !== 200) expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }),
    { numRuns: 500 },
  );
}, 120_000);
