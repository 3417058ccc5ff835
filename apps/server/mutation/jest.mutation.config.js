// What the server's mutation run (stryker.config.mjs) runs: the unit specs and the e2e specs that boot the app
// in process (a spawned, built server would not carry the mutant). With per-test coverage, each mutant runs
// only the tests that reach it. Account linking's specs belong to the linking run; the time-limit, spawned-
// process and multi-instance specs stay out (slow, and they test dist/, not the mutated sources).
import base from '../jest.config.js';

export default {
  ...base,
  // This file lives in mutation/: the package is the root its paths name.
  rootDir: '..',
  testMatch: [
    '**/src/**/*.spec.ts',
    '**/test/{mcp-flow,http-surface,hardening,protocol,limits,real-accounts,real-outbox,secrets-in-logs,metrics,entries,readiness,redis-round-trips}.e2e-spec.ts',
  ],
};
