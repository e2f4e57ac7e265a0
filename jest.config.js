// Jest runs TypeScript sources directly through swc (ESM); tsc does the type checking.
import { createRequire } from 'node:module';

// libphonenumber's ESM build imports JSON without attributes, which Jest's ESM mode deprecates
const requireFromNormalize = createRequire(new URL('./packages/normalize/package.json', import.meta.url));
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript' },
        target: 'es2023',
        keepClassNames: true,
        experimental: { keepImportAttributes: true, emitAssertForImportAttributes: false },
      },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    },
  ],
};

const moduleNameMapper = {
  '^@canvas/(canvas|db|kafka|meta-graph|normalize|runtime)$': '<rootDir>/packages/$1/src/index.ts',
  '^@canvas/(api|audience-sync|journey-runner|meta-sandbox|cli)$': '<rootDir>/services/$1/src/index.ts',
  '^@canvas/test-support$': '<rootDir>/test/support/index.ts',
  '^(\\.{1,2}/.*)\\.js$': '$1',
  '^libphonenumber-js/max$': requireFromNormalize.resolve('libphonenumber-js/max'),
};

const common = {
  rootDir: '.',
  transform,
  moduleNameMapper,
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

export default {
  // integration and end-to-end tests wait on real brokers and processes
  testTimeout: 300_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/packages/*/src/**/*.test.ts', '<rootDir>/services/*/src/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '/node_modules/'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/packages/*/src/**/*.int.test.ts',
        '<rootDir>/services/*/src/**/*.int.test.ts',
        '<rootDir>/test/integration/**/*.test.ts',
      ],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      // a three-node Kafka cluster of its own; `make test-cluster`, apart from `make test`
      displayName: 'cluster',
      testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/cluster-setup.ts',
      globalTeardown: '<rootDir>/test/support/cluster-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
