import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import Redis from 'ioredis';
import { Client } from 'pg';
import { TEST_DATABASE_URL, TEST_NATS_URL, TEST_REDIS_URL } from './config';

/**
 * Removes everything one TOOLPORT_INSTANCE created in the shared PostgreSQL, NATS and Redis:
 * schemas and roles `<instance>_*`, streams `<INSTANCE>_*` (their consumers go with them) and Redis keys
 * `<instance>:*`. Test files call it in afterAll so the machine stays clean between runs.
 */
export async function destroyInstance(
  instance: string,
  urls: { databaseUrl?: string; natsUrl?: string; redisUrl?: string } = {},
): Promise<void> {
  if (!/^[a-z][a-z0-9_]*$/.test(instance)) throw new Error(`refusing to clean up odd instance name ${instance}`);
  const pg = new Client({ connectionString: urls.databaseUrl ?? TEST_DATABASE_URL });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ nspname: string }>(`select nspname from pg_namespace where nspname like $1`, [`${instance}\\_%`]);
    for (const { nspname } of rows) await pg.query(`drop schema if exists "${nspname}" cascade`);
    // Roles are cluster-wide (the audit service creates `<instance>_audit_writer`).
    const roles = await pg.query<{ rolname: string }>(`select rolname from pg_roles where rolname like $1`, [`${instance}\\_%`]);
    for (const { rolname } of roles.rows) {
      await pg.query(`drop owned by "${rolname}"`);
      // Still granted something in another database (2BP01): leave it rather than fail a test.
      await pg.query(`drop role if exists "${rolname}"`).catch((error: { code?: string }) => {
        if (error.code !== '2BP01') throw error;
      });
    }
  } finally {
    await pg.end();
  }

  const nc = await connect({ servers: urls.natsUrl ?? TEST_NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    const prefix = `${instance.toUpperCase()}_`;
    for await (const stream of jsm.streams.list()) {
      if (stream.config.name.startsWith(prefix)) await jsm.streams.delete(stream.config.name);
    }
  } finally {
    await nc.close();
  }

  const redis = new Redis(urls.redisUrl ?? TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${instance}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
