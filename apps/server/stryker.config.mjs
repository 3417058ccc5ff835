// Mutation testing (StrykerJS 9, Node 20-compatible) for apps/server: `pnpm mutation` at the root.
// Jest runs in ESM mode here, hence the node flag; the runner plugin is named by path because pnpm
// does not hoist it where Stryker looks.
import { fileURLToPath } from 'node:url';

export default {
  packageManager: 'pnpm',
  plugins: [fileURLToPath(import.meta.resolve('@stryker-mutator/jest-runner'))],
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
  jest: { projectType: 'custom', configFile: 'jest.unit.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'off',
  mutate: [
    'src/session/**/*.ts',
    'src/http/**/*.ts',
    'src/accounts/**/*.ts',
    'src/mcp/**/*.ts',
    'src/tools/**/*.ts',
    '!src/**/*.spec.ts',
    '!src/testing/**',
  ],
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['html', 'clear-text', 'progress', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  timeoutMS: 20000,
  tempDirName: '.stryker-tmp',
};
