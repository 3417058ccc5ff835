// Mutation testing of the MCP transports and server factory (src/mcp) against jest.mutation.mcp.config.js:
// `npx stryker run mutation/stryker.mcp.config.mjs`. Its results share the default run's incremental file.
import { fileURLToPath } from 'node:url';
import { strykerConfig } from '../../../stryker.shared.mjs';

export default strykerConfig({
  plugin: fileURLToPath(import.meta.resolve('@stryker-mutator/jest-runner')),
  jestConfig: 'mutation/jest.mutation.mcp.config.js',
  baseEnvironment: 'jest-environment-node',
  mutate: ['src/mcp/**/*.ts', '!src/**/*.spec.ts'],
});
