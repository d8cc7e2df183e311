// Flat config: typescript-eslint for TypeScript, Nx module boundaries for the architecture.
// Tags live in each package.json ("nx": {"tags": [...]}):
//   type:contracts  libs/contracts: the shared language; imports no other workspace package
//   type:lib        shared libraries; may import contracts and other libs
//   type:testing    libs/testing: test helpers; only tests and benches use it (enforced below)
//   type:service    apps/<service>: never imports another app
//   type:launcher   apps/toolport: composes the services into one process
//   type:bench      bench/: may use anything but apps' internals
const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js', '**/*.d.ts', '.nx/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            // type:testing is allowed here for *.spec.ts/*.int-spec.ts only: the no-restricted-imports
            // block below forbids it in production files.
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib'] },
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib', 'type:testing'] },
            { sourceTag: 'type:launcher', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib', 'type:service', 'type:testing'] },
            { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib', 'type:testing', 'type:service'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    // libs/testing is for tests and benches only: production code must not import it.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/__fixtures__/**', 'libs/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@toolport/testing'], message: 'libs/testing is for tests only' }] }],
    },
  },
);
