/**
 * What a person sees when starting the built server (dist/main.js, as
 * `pnpm start` runs it): a quiet log with the next steps, one clear line and
 * exit code 1 for a port in use or a bad setting, and `.env` read when present.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ToolName } from '@target-auth/shared/tools';
import { postgresAvailable, TEST_DATABASE_URL } from '../src/testing/databases.js';
import { TEST_REDIS_URL } from '../src/testing/redis.js';
import { itWhen } from '../src/testing/services.js';
import { call, connect, raw } from './helpers.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const KEY = Buffer.alloc(32, 1).toString('base64');
const withPostgres = itWhen(await postgresAvailable());
const children: ChildProcess[] = [];

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs main.js until it exits, or until `until` shows up in its output (then stops it). */
function run(env: Record<string, string>, options: { until?: string; cwd?: string } = {}): Promise<Run> {
  const child = spawn(process.execPath, [MAIN], { cwd: options.cwd ?? process.cwd(), env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const out = { stdout: '', stderr: '' };
  return new Promise((resolve) => {
    let stopping = false;
    const check = () => {
      if (stopping || !options.until || !(out.stdout + out.stderr).includes(options.until)) return;
      stopping = true;
      child.kill('SIGTERM');
    };
    child.stdout.on('data', (chunk: Buffer) => ((out.stdout += chunk.toString()), check()));
    child.stderr.on('data', (chunk: Buffer) => ((out.stderr += chunk.toString()), check()));
    child.once('exit', (code) => resolve({ ...out, code }));
  });
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('starting the server (e2e)', () => {
  it('logs quietly: no route mapping, no colours when piped, and the next steps', async () => {
    const { stdout, code } = await run({ PORT: '0' }, { until: 'Next steps' });
    expect(code).toBe(0);
    expect(stdout).toContain('Next steps:');
    expect(stdout).toMatch(/MCP endpoint: http:\/\/localhost:\d+\/mcp/);
    expect(stdout).toContain('npx -y @modelcontextprotocol/inspector@2.12.0');
    expect(stdout).toContain('Allowed origins: http://localhost:');
    expect(stdout).not.toContain('Mapped {');
    expect(stdout).not.toContain('dependencies initialized');
    expect(stdout).not.toContain('\u001b[');
  });

  it('adds the ChatGPT connector steps when PUBLIC_URL is https', async () => {
    const { stdout } = await run({ PORT: '0', PUBLIC_URL: 'https://auth.example.com' }, { until: 'Next steps' });
    expect(stdout).toContain('ChatGPT: Settings → Apps & Connectors');
    expect(stdout).toContain('https://auth.example.com/mcp');
  });

  it('prints the redirect URI of each upstream provider for the operator to register, never its secret', async () => {
    const env = { PORT: '0', PUBLIC_URL: 'https://auth.example.com', GOOGLE_CLIENT_ID: 'g-id', GOOGLE_CLIENT_SECRET: 'g-very-secret', OIDC_PROVIDERS: '[{"id":"okta","name":"Okta","issuer":"https://example.okta.com","clientId":"o","clientSecret":"o-very-secret"}]' };
    const { stdout, stderr } = await run(env, { until: 'Next steps' });
    expect(stdout).toContain('Sign-in with Google, Okta: register these redirect URIs with the providers:\n    https://auth.example.com/auth/callback/google\n    https://auth.example.com/auth/callback/okta');
    expect(stdout + stderr).not.toMatch(/very-secret/);
  });

  it('ends with one clear line and exit code 1 when the port is in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { stdout, stderr, code } = await run({ PORT: String(port) });
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(`Port ${port} is in use. Set PORT to another port.`);
      expect(stdout).not.toMatch(/successfully started|Next steps/);
    } finally {
      blocker.close();
    }
  });

  it('says where sessions live at start: in memory, or on Redis with its credentials masked', async () => {
    const memory = await run({ PORT: '0' }, { until: 'Next steps' });
    expect(memory.stdout).toContain('Sessions: in memory (this process only; lost on restart).');
    const redis = await run({ PORT: '0', REDIS_URL: `redis://user:s3cret@${TEST_REDIS_URL.replace(/^redis:\/\//, '')}/15` }, { until: 'Next steps' });
    expect(redis.stdout).toMatch(/Sessions: Redis at redis:\/\/\*\*\*@[^ ]+\/15 \(shared by every instance\)\./);
    expect(redis.stdout + redis.stderr).not.toContain('s3cret');
  });

  it.each([
    ['DATABASE_URL without SECRET_KEY', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/target' }, 'SECRET_KEY must be set when DATABASE_URL is: every instance needs the same key (e.g. `openssl rand -base64 32`).'],
    ['a database that does not answer', { DATABASE_URL: 'postgres://postgres:pw@127.0.0.1:1/target', SECRET_KEY: KEY }, 'Could not open the accounts database (ECONNREFUSED): nothing answers at the address in DATABASE_URL.'],
  ])('ends with one plain line and exit code 1 for %s, in text and in JSON', async (_case, env, line) => {
    const text = await run({ PORT: '0', DEMO_MODE: 'false', ...env });
    expect(text.code).toBe(1);
    expect(text.stderr.trim()).toBe(line);
    expect(text.stdout).not.toMatch(/ExceptionHandler|at .*\.js:\d+/);
    const json = await run({ PORT: '0', DEMO_MODE: 'false', LOG_FORMAT: 'json', ...env });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr.trim())).toMatchObject({ level: 60, msg: line });
    for (const printed of `${json.stdout}\n${json.stderr}`.split('\n').filter(Boolean)) expect(() => JSON.parse(printed)).not.toThrow();
    expect(`${text.stdout}${text.stderr}${json.stdout}${json.stderr}`).not.toContain(':pw@');
  });

  withPostgres('ends with one plain line for a role the database does not know', async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.username = 'no_such_role';
    const run1 = await run({ PORT: '0', DEMO_MODE: 'false', DATABASE_URL: url.href, SECRET_KEY: KEY });
    expect(run1.code).toBe(1);
    expect(run1.stderr.trim()).toBe('Could not open the accounts database (28000): the role in DATABASE_URL may not connect (it does not exist, or pg_hba.conf refuses it).');
  });

  it('ends with the plain message and exit code 1 for a bad setting', async () => {
    const { stderr, code } = await run({ PORT: 'abc' });
    expect(code).toBe(1);
    expect(stderr).toContain('PORT must be a whole number from 0 to 65535, got "abc"');
    expect(stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('reads .env from the working directory; variables already set win', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'target-auth-env-'));
    writeFileSync(join(dir, '.env'), 'PORT=0\nDEMO_NAME=Env File Person\nDEMO_CODE=\n');
    const fromFile = await run({}, { cwd: dir, until: 'Next steps' });
    expect(fromFile.stdout).toContain('(as Env File Person)');
    const overridden = await run({ DEMO_NAME: 'Shell Person' }, { cwd: dir, until: 'Next steps' });
    expect(overridden.stdout).toContain('(as Shell Person)');
  });

  it('writes one JSON object per line with LOG_FORMAT=json, on stdout and stderr, library warnings too, request ids included, and nothing secret', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'verbose', DEMO_CODE: '975310' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const baseUrl = await new Promise<string>((resolve) => {
      const look = () => {
        const port = /Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1];
        if (port) resolve(`http://127.0.0.1:${port}`);
        else setTimeout(look, 50);
      };
      look();
    });
    const password = 'Json-Log-Secret-77';
    const sessionIds: string[] = [];
    for (const kind of ['streamable', 'sse'] as const) {
      const client = await connect(baseUrl, kind);
      const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
      sessionIds.push(sessionId);
      await call(client, ToolName.submitCredentials, { sessionId, email: 'ada@example.com', password });
      await call(client, ToolName.verifyCode, { sessionId, code: '000000' });
      await call(client, ToolName.verifyCode, { sessionId, code: '975310' });
      await client.close();
    }
    const client = await connect(baseUrl);
    const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
    sessionIds.push(sessionId);
    await client.close();
    await raw(baseUrl, { path: '/api/session/credentials', headers: { origin: 'https://chatgpt.com' }, body: JSON.stringify({ sessionId, email: 'ada@example.com', password }) });
    await raw(baseUrl, { path: '/api/session/authenticate', body: JSON.stringify({ sessionId, code: '975310' }) });
    // The authorization server (and whatever it prints as it loads) is up.
    expect((await raw(baseUrl, { method: 'GET', path: '/.well-known/oauth-authorization-server' })).status).toBe(200);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;

    const lines = `${stdout}\n${stderr}`.split('\n').filter((line) => line.trim() !== '');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const entries = lines.map((line) => JSON.parse(line) as { msg?: string; req?: { id?: string; path?: string } });
    const requests = entries.filter((entry) => entry.req !== undefined);
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.every((entry) => typeof entry.req?.id === 'string' && entry.req.id.length > 0)).toBe(true);
    expect(requests.map((entry) => entry.req?.path)).toEqual(expect.arrayContaining(['/mcp', '/messages', '/api/session/credentials']));
    expect(stdout).not.toContain(password);
    expect(stdout).not.toContain('975310');
    for (const id of sessionIds) expect(stdout).not.toContain(id);
  });

  it('on SIGTERM stops accepting, lets a request in flight finish, closes streams, and exits 0', async () => {
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env['PATH'] ?? '', PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const port = await new Promise<string>((resolve) => {
      const look = () => {
        const found = /Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1];
        if (found) resolve(found);
        else setTimeout(look, 50);
      };
      look();
    });
    // An SSE stream stays open until the server closes it.
    const streamEnded = new Promise<void>((resolve) => {
      request({ host: '127.0.0.1', port, path: '/sse', headers: { accept: 'text/event-stream' } }, (res) => res.on('end', resolve).resume()).end();
    });
    // A request in flight: its body is still arriving when SIGTERM comes.
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method: 'POST', path: '/api/session/credentials', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write('{"sessionId":"sess_AAAAAAAAAAAAAAAAAAAAAAAA",');
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => req.end('"email":"ada@example.com","password":"pw"}'), 300);
      }, 100);
    });
    await streamEnded;
    const refused = await new Promise<string>((resolve) => {
      setTimeout(() => {
        request({ host: '127.0.0.1', port, path: '/healthz' }, () => resolve('answered'))
          .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
          .end();
      }, 150);
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(await answer).toMatchObject({ status: 404, body: expect.stringContaining('invalid_session') });
    const code = await new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
    expect(code).toBe(0);
    expect(stdout).toContain('SIGTERM received: finishing requests in flight, then closing');
  });
});
