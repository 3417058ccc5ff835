// What both packages' mutation runs share (StrykerJS 9, Node 20-compatible; see docs/testing.md). Jest runs
// in ESM mode here, hence the node flag; the runner plugin is named by the path each package resolves,
// because pnpm does not hoist it where Stryker looks. Each mutant runs only the tests that reached it, and
// only the spec files that hold them (mutation/spec-index.cjs), so an app that boots in a spec's beforeAll
// costs a run of that spec, not of the whole suite.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

export function strykerConfig({ plugin, jestConfig, baseEnvironment, mutate, name = 'stryker' }) {
  // Read by the test runners Stryker forks (they inherit the environment), written during the dry run.
  process.env.MUTATION_SPEC_INDEX = resolve('.stryker-tmp', `${name}-spec-index-${process.pid}.jsonl`);
  return {
    packageManager: 'pnpm',
    plugins: [plugin],
    testRunner: 'jest',
    testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
    jest: {
      projectType: 'custom',
      configFile: jestConfig,
      enableFindRelatedTests: true,
      config: {
        testEnvironment: here('./mutation/environment.cjs'),
        testEnvironmentOptions: { mutationBaseEnvironment: baseEnvironment },
        testSequencer: here('./mutation/sequencer.cjs'),
      },
    },
    coverageAnalysis: 'perTest',
    mutate,
    incremental: true,
    incrementalFile: `reports/mutation/${name}-incremental.json`,
    reporters: ['html', 'clear-text', 'progress', 'json'],
    htmlReporter: { fileName: `reports/mutation/${name === 'stryker' ? 'index' : name}.html` },
    jsonReporter: { fileName: `reports/mutation/${name === 'stryker' ? 'mutation' : name}.json` },
    concurrency: 2,
    // Jest's ESM module registries are not all freed between runs; a fresh test runner every 200 keeps memory flat.
    maxTestRunnerReuse: 200,
    timeoutMS: 20000,
    tempDirName: '.stryker-tmp',
  };
}
