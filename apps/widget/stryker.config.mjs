// Mutation testing for apps/widget (`pnpm mutation` at the root).
import { fileURLToPath } from 'node:url';
import { strykerConfig } from '../../stryker.shared.mjs';

export default strykerConfig({
  plugin: fileURLToPath(import.meta.resolve('@stryker-mutator/jest-runner')),
  jestConfig: 'jest.config.js',
  baseEnvironment: 'jest-environment-jsdom',
  mutate: ['src/{state,bridge,components,screens,hosted,account}/**/*.{ts,tsx}', 'src/App.tsx', '!src/**/*.spec.{ts,tsx}', '!src/{hosted,account}/main.tsx'],
});
