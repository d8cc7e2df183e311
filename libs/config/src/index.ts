// Kept apart from libs/platform so that an app's main.ts can read its configuration and start
// OpenTelemetry before anything loads `http`, Fastify or Nest (instrumentation must come first).
export * from './platform-config';
export * from './trust-proxy';
