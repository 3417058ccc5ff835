// The account-linking e2e specs only: what the linking mutation run (stryker.linking.config.mjs) runs per mutant.
import base from './jest.config.js';

export default { ...base, roots: ['<rootDir>/test'], testMatch: ['**/linking.e2e-spec.ts'] };
