// Jest runs TypeScript through SWC (fast, no type-check); `npm run typecheck` type-checks.
// Workspace packages resolve to their sources so tests never need a build first.
const fs = require('node:fs');
const path = require('node:path');
const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleNameMapper: {
    '^@toolport/(publisher|catalog|scanner|health|audit)$': '<rootDir>/apps/$1/src/service.ts',
    '^@toolport/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
  },
  // ESM-only dependencies that Jest's CommonJS runtime cannot require are compiled by SWC too
  // (STACK.md): content-disposition 1.x comes with @fastify/static, which serves /docs.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};
