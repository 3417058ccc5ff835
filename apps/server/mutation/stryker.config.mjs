// Mutation testing for apps/server (`pnpm mutation` at the root): the unit specs and the e2e specs that boot
// the app in process (jest.mutation.config.js); each mutant runs the tests that reach it.
import { fileURLToPath } from 'node:url';
import { strykerConfig } from '../../../stryker.shared.mjs';

export default strykerConfig({
  plugin: fileURLToPath(import.meta.resolve('@stryker-mutator/jest-runner')),
  jestConfig: 'mutation/jest.mutation.config.js',
  baseEnvironment: 'jest-environment-node',
  // src/mcp has its own run (mutation/stryker.mcp.config.mjs), the rest of src/oauth too (mutation/stryker.linking.config.mjs).
  mutate: ['src/{session,http,accounts,tools}/**/*.ts', 'src/oauth/oauth-storage.ts', '!src/**/*.spec.ts'],
});
