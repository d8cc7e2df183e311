export * from './http-fetcher';
export * from './in-memory-package-fetcher';
