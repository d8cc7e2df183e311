import { Client, type Pool } from 'pg';

export interface PgListenerOptions {
  pool: Pool;
  /** A channel name as NOTIFY uses it (quoted on LISTEN, so any valid name works). */
  channel: string;
  /** Called after each (re)connection, since anything may have committed while none listened, and on every notification. */
  onNotify: (payload: string | undefined) => void;
  /** Pause before reconnecting after the listening connection failed (default 1000 ms). */
  retryDelayMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * LISTENs on one channel on a dedicated connection and reconnects when it is lost. NOTIFY is
 * delivered at commit, so a notification means the writer's rows are visible; after a reconnect
 * `onNotify` runs once with no payload so the caller catches up with what it missed.
 */
export class PgListener {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeStop: () => void = () => undefined;

  constructor(private readonly options: PgListenerOptions) {}

  /** Fails when PostgreSQL cannot be reached at start; later outages are retried. */
  async start(): Promise<void> {
    if (this.running) return;
    const first = await this.listen();
    this.running = true;
    this.loop = this.run(first);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeStop();
    await this.loop;
  }

  private async listen(): Promise<{ client: Client; ended: Promise<void> }> {
    const client = new Client(this.options.pool.options);
    const ended = new Promise<void>((resolve) => {
      this.wakeStop = resolve;
      // An 'error' event without a listener would crash the process (node-postgres, Client events).
      client.on('error', (error) => {
        this.options.onError?.(error);
        resolve();
      });
      client.on('end', () => resolve());
    });
    client.on('notification', (message) => this.options.onNotify(message.payload));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.options.channel.replace(/"/g, '""')}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.options.onNotify(undefined);
    return { client, ended };
  }

  private async run(first: { client: Client; ended: Promise<void> }): Promise<void> {
    let current: { client: Client; ended: Promise<void> } | null = first;
    while (this.running) {
      if (current) {
        await current.ended;
        await current.client.end().catch(() => undefined);
        current = null;
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.retryDelayMs ?? 1000);
        this.wakeStop = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (!this.running) break;
      try {
        current = await this.listen();
      } catch (error) {
        this.options.onError?.(error);
      }
    }
  }
}
