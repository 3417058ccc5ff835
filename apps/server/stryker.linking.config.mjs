// Mutation testing of account linking's wiring (the authorization server's configuration, the hosted page's
// endpoints, the metadata and the bearer check) against the linking e2e spec, which boots the app in
// process: `npx stryker run stryker.linking.config.mjs` (about 20 minutes here). The default run
// (stryker.config.mjs) covers the unit-tested code.
import { fileURLToPath } from 'node:url';
import { strykerConfig } from '../../stryker.shared.mjs';

const shared = strykerConfig({
  plugin: fileURLToPath(import.meta.resolve('@stryker-mutator/jest-runner')),
  jestConfig: 'jest.linking.config.js',
  mutate: ['src/oauth/{oauth-provider,interaction.controller,oauth-server,well-known.controller}.ts'],
});

export default {
  ...shared,
  jest: { ...shared.jest, enableFindRelatedTests: false },
  incrementalFile: 'reports/mutation/linking-incremental.json',
  htmlReporter: { fileName: 'reports/mutation/linking.html' },
  jsonReporter: { fileName: 'reports/mutation/linking.json' },
  timeoutMS: 60000,
};
