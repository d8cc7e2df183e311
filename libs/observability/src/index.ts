export * from './trace-context';
export * from './telemetry';
export * from './test-tracing';
export * from './logger';
export * from './json-nest-logger';
export * from './metrics';
export * from './progress-bar';
