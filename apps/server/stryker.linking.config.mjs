// Mutation testing of account linking (src/oauth: the authorization server's configuration, its state, the
// hosted page's endpoints, the metadata and the bearer check) against its unit specs and the linking e2e
// spec, which boots the app in process: `npx stryker run stryker.linking.config.mjs` (about 40 minutes on
// 2 cores). The default run (stryker.config.mjs) covers the rest.
import { fileURLToPath } from 'node:url';
import { strykerConfig } from '../../stryker.shared.mjs';

const shared = strykerConfig({
  plugin: fileURLToPath(import.meta.resolve('@stryker-mutator/jest-runner')),
  jestConfig: 'jest.linking.config.js',
  mutate: ['src/oauth/*.ts', '!src/oauth/*.spec.ts', '!src/oauth/{oauth.module,oauth-storage}.ts'],
});

export default {
  ...shared,
  jest: { ...shared.jest, enableFindRelatedTests: false },
  incrementalFile: 'reports/mutation/linking-incremental.json',
  htmlReporter: { fileName: 'reports/mutation/linking.html' },
  jsonReporter: { fileName: 'reports/mutation/linking.json' },
  timeoutMS: 60000,
};
