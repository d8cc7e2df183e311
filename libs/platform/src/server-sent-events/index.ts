export * from './pg-listener';
export * from './committed-log';
export * from './sse-feed';
export * from './resume-point';
