import { createPool } from '@toolport/event-store';
import { TEST_DATABASE_URL } from '@toolport/testing';
import type { Pool } from 'pg';
import { toProblem } from './problem-details';

// The safety net behind the input text guard, against PostgreSQL's real errors: a character it
// refuses in a value bound as a parameter is a 400 (still logged: `expected` false), while the
// same error codes raised by SQL the server wrote, or a bad cast, stay a 500.
let pool: Pool;

beforeAll(() => {
  pool = createPool(TEST_DATABASE_URL, { max: 1, applicationName: 'test-problem-details' });
});

afterAll(async () => {
  await pool?.end();
});

async function failureOf(sql: string, params: unknown[] = []): Promise<unknown> {
  try {
    await pool.query(sql, params);
  } catch (error) {
    return error;
  }
  throw new Error(`${sql} did not fail`);
}

it.each([
  ['a NUL in a text parameter (22021)', 'SELECT $1::text', ['a\u0000b'], 'contains a NUL character (U+0000), which is not allowed'],
  ['a NUL in a jsonb parameter (22P05)', 'SELECT $1::jsonb', [{ note: 'a\u0000b' }], 'contains a NUL character (U+0000), which is not allowed'],
  ['an unpaired surrogate in a jsonb parameter (22P02)', 'SELECT $1::jsonb', [{ note: 'a\ud800b' }], 'contains an unpaired UTF-16 surrogate, which is not valid Unicode text'],
])('answers %s with a 400 problem', async (_what, sql, params, detail) => {
  const { problem, expected } = toProblem(await failureOf(sql, params), '/x');
  expect(problem).toEqual({ title: 'Bad Request', status: 400, detail: `a text value of the request ${detail}`, code: 'INVALID_CHARACTER', instance: '/x' });
  expect(expected).toBe(false);
});

it.each([
  ['a NUL the SQL itself produced', '22021', "SELECT convert_from('\\x610062'::bytea, 'UTF8')", []],
  ['a \\u0000 in a jsonb literal of the SQL', '22P05', `SELECT '{"a":"\\u0000"}'::jsonb ->> 'a'`, []],
  ['a bad uuid cast of a parameter', '22P02', 'SELECT $1::uuid', ['not-a-uuid']],
])('keeps %s (%s) a 500', async (_what, code, sql, params) => {
  const error = await failureOf(sql, params);
  expect((error as { code?: string }).code).toBe(code);
  expect(toProblem(error).problem.status).toBe(500);
});
