// Jest in ESM mode (NestJS 12 is ESM-only); @swc/jest compiles TypeScript with decorator metadata.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'es6' },
      },
    ],
  },
  testTimeout: 20000,
  setupFiles: ['<rootDir>/src/testing/quiet-logs.ts'],
  setupFilesAfterEnv: ['<rootDir>/src/testing/closing-after-file.ts'],
};
