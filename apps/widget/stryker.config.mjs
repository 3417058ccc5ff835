// Mutation testing (StrykerJS 9, Node 20-compatible) for apps/widget: `pnpm mutation` at the root.
import { fileURLToPath } from 'node:url';

export default {
  packageManager: 'pnpm',
  plugins: [fileURLToPath(import.meta.resolve('@stryker-mutator/jest-runner'))],
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
  jest: { projectType: 'custom', configFile: 'jest.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'off',
  mutate: ['src/state/**/*.ts', 'src/bridge/**/*.ts', 'src/components/**/*.tsx', 'src/screens/**/*.tsx', '!src/**/*.spec.ts', '!src/**/*.spec.tsx'],
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['html', 'clear-text', 'progress', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  timeoutMS: 20000,
  tempDirName: '.stryker-tmp',
};
