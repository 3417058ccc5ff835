// What both packages' mutation runs share (StrykerJS 9, Node 20-compatible; see docs/testing.md). Jest runs
// in ESM mode here, hence the node flag; the runner plugin is named by the path each package resolves,
// because pnpm does not hoist it where Stryker looks.
export function strykerConfig({ plugin, jestConfig, mutate }) {
  return {
    packageManager: 'pnpm',
    plugins: [plugin],
    testRunner: 'jest',
    testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
    jest: { projectType: 'custom', configFile: jestConfig, enableFindRelatedTests: true },
    coverageAnalysis: 'off',
    mutate,
    incremental: true,
    incrementalFile: 'reports/mutation/stryker-incremental.json',
    reporters: ['html', 'clear-text', 'progress', 'json'],
    htmlReporter: { fileName: 'reports/mutation/index.html' },
    jsonReporter: { fileName: 'reports/mutation/mutation.json' },
    concurrency: 2,
    timeoutMS: 20000,
    tempDirName: '.stryker-tmp',
  };
}
