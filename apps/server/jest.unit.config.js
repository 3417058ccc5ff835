// Unit specs only (no e2e, no services started per run): what the mutation tester runs for each mutant.
import base from './jest.config.js';

export default { ...base, roots: ['<rootDir>/src'], testMatch: ['**/*.spec.ts'] };
