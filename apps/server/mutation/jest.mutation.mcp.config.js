// What the MCP transports' mutation run (stryker.mcp.config.mjs) runs: the server's mutation specs but the two
// real-accounts e2e specs. Those drive sign-ins through argon2 and the outbox (45 s a run) over the same MCP
// and HTTP paths the other e2e specs drive in a second, and most MCP mutants are "static" (reached while an
// app boots or between tests), so each survivor ran them all: with them, the run takes 4 hours on 2 cores.
// A test that hangs fails after 10 s (an answer here takes milliseconds), not at Stryker's timeout, which
// would also restart the test runner.
import base from './jest.mutation.config.js';

export default {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', '/test/real-(accounts|outbox)\\.e2e-spec\\.ts$'],
  testTimeout: 10_000,
};
