// Integration tests talk to the real PostgreSQL, NATS JetStream and Redis on this machine.
// Each test file isolates itself with its own TOOLPORT_INSTANCE (see libs/testing).
module.exports = {
  ...require('./jest.shared'),
  displayName: 'int',
  testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.int-spec.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
  setupFiles: ['<rootDir>/libs/testing/src/jest-env.ts'],
};
