import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A scan worker in another process whose scan never ends (what a scan stuck on an artifact
 * server that stalls looks like from BullMQ): it takes one job from the instance's `scan`
 * queue, says so on stdout, and holds it until it is killed. Plain JavaScript run by `node`,
 * so the test can `kill -9` a real process holding a real BullMQ lock.
 */
const SCRIPT = `
const { Worker } = require(process.argv[1]);
const [redisUrl, prefix, lockMs] = process.argv.slice(2);
const worker = new Worker('scan', async (job) => {
  process.stdout.write('active ' + job.id + '\\n');
  await new Promise(() => undefined);
}, { connection: { url: redisUrl, maxRetriesPerRequest: null }, prefix, lockDuration: Number(lockMs), stalledInterval: Number(lockMs), concurrency: 1 });
worker.on('error', () => undefined);
`;

export interface StallingWorker {
  process: ChildProcess;
  /** Resolves with the id of the job it took. */
  active: Promise<string>;
}

export function startStallingWorker(redisUrl: string, prefix: string, lockMs: number): StallingWorker {
  const child = spawn(process.execPath, ['-e', SCRIPT, require.resolve('bullmq'), redisUrl, prefix, String(lockMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const active = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /active (\S+)\n/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code, signal) => reject(new Error(`stalling worker exited (${code ?? signal}) before taking a job`)));
  });
  return { process: child, active };
}
