/**
 * `/readyz` asks every registered check; a service is ready when all pass. Checks register
 * themselves at start (database, NATS, Redis, consumers), so the platform knows none by name.
 */
export interface ReadinessResult {
  ok: boolean;
  detail?: string;
}

export interface ReadinessCheck {
  name: string;
  check(): Promise<ReadinessResult>;
}

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: Record<string, ReadinessResult>;
}

export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
  }

  async report(timeoutMs = 2000): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks.values()].map(async (c) => [c.name, await runWithTimeout(c, timeoutMs)] as const),
    );
    const checks = Object.fromEntries(entries);
    return { status: entries.every(([, r]) => r.ok) ? 'ready' : 'not_ready', checks };
  }
}

async function runWithTimeout(check: ReadinessCheck, timeoutMs: number): Promise<ReadinessResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ReadinessResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([check.check().catch((e: Error) => ({ ok: false, detail: e.message })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
