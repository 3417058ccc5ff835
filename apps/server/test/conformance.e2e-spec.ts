/**
 * The MCP conformance suite's current release (@modelcontextprotocol/conformance,
 * pinned) against the built server: every server scenario that applies to what
 * this server offers (one tool set, resources, no prompts). Its other server
 * scenarios check the "everything" test server's features (test_* tools,
 * prompts, logging, completion, sampling, elicitation, subscriptions), which
 * this server does not have; its authorization scenarios test clients, not
 * servers, so the authorization server's checks stay in linking.e2e-spec.ts.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Instance, startInstance } from './instances.js';

const CLI = join(dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/package.json')), 'dist', 'index.js');
const SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'resources-list', 'dns-rebinding-protection', 'server-sse-polling', 'server-sse-multiple-streams'];

let instance: Instance;

beforeAll(async () => {
  instance = await startInstance({});
});

afterAll(async () => {
  await instance?.stop();
});

describe('MCP conformance suite (built server)', () => {
  it.each(SCENARIOS)('passes %s', async (scenario) => {
    // The suite speaks to the server as a local client would: through localhost, its own origin.
    const url = instance.url.replace('127.0.0.1', 'localhost');
    const run = await promisify(execFile)(process.execPath, [CLI, 'server', '--url', `${url}/mcp`, '--scenario', scenario], { env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' } }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(run.stdout).toMatch(/Passed: \d+\/\d+, 0 failed/);
    expect(run.code).toBe(0);
  }, 60_000);
});
