// Mutation testing for apps/server (`pnpm mutation` at the root): the unit specs only, per mutant.
import { fileURLToPath } from 'node:url';
import { strykerConfig } from '../../stryker.shared.mjs';

export default strykerConfig({
  plugin: fileURLToPath(import.meta.resolve('@stryker-mutator/jest-runner')),
  jestConfig: 'jest.unit.config.js',
  // The rest of src/oauth has its own run (stryker.linking.config.mjs).
  mutate: ['src/{session,http,accounts,mcp,tools}/**/*.ts', 'src/oauth/oauth-storage.ts', '!src/**/*.spec.ts'],
});
