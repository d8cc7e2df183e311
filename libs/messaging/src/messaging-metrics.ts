import { counter, gauge } from '@toolport/observability';

/**
 * The library's Prometheus metrics, fetched by name from the default registry on first use:
 * five services in one process share them (get-or-create, see libs/observability/src/metrics.ts).
 */
export const messagingMetrics = {
  relayLag: () => gauge('toolport_relay_lag_positions', 'Events in the store after the relay checkpoint (not yet acknowledged by JetStream)', ['schema']),
  relayPublished: () => counter('toolport_relay_published_total', 'Events the relay published and JetStream acknowledged', ['schema', 'stream']),
  consumerHalted: () => gauge('toolport_consumer_halted', '1 while a projection consumer is halted on a failing message', ['consumer']),
  consumerMessages: () =>
    counter('toolport_consumer_messages_total', 'Messages handled by a consumer, by outcome (applied, skipped, failed, dead_lettered)', ['consumer', 'outcome']),
};
