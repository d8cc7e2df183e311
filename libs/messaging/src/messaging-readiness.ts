import type { NatsConnection } from '@nats-io/nats-core';
import type { ConsumerStatus } from './consumer-runner';
import type { ConsumerRegistry } from './consumer-registry';

export interface MessagingReadiness {
  ok: boolean;
  /** One line saying what is wrong, when not ok. */
  detail?: string;
  consumers: ConsumerStatus[];
}

/**
 * Ready when the NATS connection answers a round trip and no projection is halted. A halted
 * projection serves stale reads, so the service says so instead of looking healthy.
 * Shaped like libs/platform's ReadinessResult, so it can be registered as a check as is.
 */
export async function messagingReadiness(nc: NatsConnection, consumers: ConsumerRegistry, timeoutMs = 1500): Promise<MessagingReadiness> {
  const statuses = consumers.statuses();
  if (nc.isClosed()) return { ok: false, detail: 'NATS connection is closed', consumers: statuses };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      nc.rtt(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    return { ok: false, detail: `NATS at ${nc.getServer()} is not answering: ${(error as Error).message}`, consumers: statuses };
  } finally {
    clearTimeout(timer);
  }
  const halted = statuses.filter((s) => s.halted);
  if (halted.length > 0) {
    const detail = halted
      .map((s) => `${s.consumer} halted at stream sequence ${s.halted!.streamSequence} (${s.halted!.eventType ?? 'unknown type'} ${s.halted!.eventId ?? ''}): ${s.halted!.error}`)
      .join('; ');
    return { ok: false, detail, consumers: statuses };
  }
  return { ok: true, consumers: statuses };
}
