import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';
import noTypeImportCycle from './eslint/no-type-import-cycle.js';

const ioModules = [
  'node:*',
  'fs',
  'http',
  'net',
  'pg',
  'kysely',
  'undici',
  'kafkajs',
  'pino',
  'fastify',
  'prom-client',
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.toolchain/**', '.local/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX, local: { rules: { 'no-type-import-cycle': noTypeImportCycle } } },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/require-await': 'off',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // no-cycle cannot see cycles made of type-only imports (import-x 4 has no option for them)
      'local/no-type-import-cycle': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-extraneous-dependencies': [
        'error',
        {
          packageDir: [
            '.',
            './packages/runtime',
            './packages/kafka',
            './packages/db',
            './packages/canvas',
            './packages/normalize',
            './packages/meta-graph',
            './services/api',
            './services/journey-runner',
            './services/audience-sync',
            './services/meta-sandbox',
            './services/cli',
            './services/console',
            './test',
            './bench',
          ],
        },
      ],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'kafkajs', message: 'Only packages/kafka talks to kafkajs; use @canvas/kafka.' }] },
      ],
      'no-console': 'error',
    },
  },
  {
    // the producer's side of the contract: end-to-end tests and benchmarks use a plain kafkajs client on purpose
    files: ['packages/kafka/src/**', 'test/e2e/**', 'test/cluster/**', 'test/support/shop-backend.ts', 'bench/src/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // the canvas model is pure: no I/O, no clock, no randomness
    files: ['packages/canvas/src/**/*.ts'],
    ignores: ['packages/canvas/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: ioModules.map((group) => ({
            group: [group],
            message: 'packages/canvas is pure; do I/O in a service.',
          })),
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Pass the clock in.' },
        { object: 'Math', property: 'random', message: 'Pass a seeded random in.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Pass the clock in.' },
      ],
    },
  },
  {
    // services reach tables only through @canvas/db's repositories (docs/decisions/0014)
    files: ['services/*/src/**/*.ts'],
    ignores: ['services/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'kafkajs', message: 'Only packages/kafka talks to kafkajs; use @canvas/kafka.' },
            { name: 'kysely', message: 'Services query through the repositories of @canvas/db.' },
            { name: 'pg', message: 'Services query through the repositories of @canvas/db.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=' +
            '/^(selectFrom|selectNoFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|executeQuery)$/]',
          message: 'Services reach tables only through a repository function of @canvas/db.',
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/src/**/*.ts', 'services/cli/src/**/*.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // prettier wraps code at 120 but not strings, templates or SQL; wrap those by hand
    files: ['**/*.{ts,tsx,js,mjs}'],
    rules: { 'max-len': ['error', { code: 120, ignoreUrls: true }] },
  },
  {
    // the console runs in the browser, type-checked against the DOM by its own tsconfig
    files: ['services/console/src/**/*.{ts,tsx}'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { project: ['./services/console/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './services/console/tsconfig.json' })],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
