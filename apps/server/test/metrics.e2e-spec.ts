import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ToolName } from '@target-auth/shared/tools';
import { freePort } from '@target-auth/testing/ports';
import { call, connect, raw, type Running, startServer } from './helpers.js';

const TOKEN = 'metrics-token-0123456789';

/** The value of one sample line, e.g. `target_auth_codes_total{outcome="accepted"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics (e2e)', () => {
  it('is off by default', async () => {
    const server = await startServer();
    try {
      expect((await raw(server.baseUrl, { method: 'GET', path: '/metrics' })).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('reports no number of live sessions while the shared store does not answer, and still answers', async () => {
    const server = await startServer({ METRICS_TOKEN: TOKEN, REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    try {
      const res = await raw(server.baseUrl, { method: 'GET', path: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      expect(sample(res.body, 'target_auth_sessions_live')).toBeNaN();
    } finally {
      await server.close();
    }
  });

  describe('with METRICS_TOKEN', () => {
    let server: Running;
    beforeAll(async () => {
      server = await startServer({ METRICS_TOKEN: TOKEN, DEMO_CODE: '424242' });
    });
    afterAll(() => server.close());

    it('requires the token', async () => {
      expect((await raw(server.baseUrl, { method: 'GET', path: '/metrics' })).status).toBe(401);
      const wrong = await raw(server.baseUrl, { method: 'GET', path: '/metrics', headers: { authorization: `Bearer ${TOKEN}x` } });
      expect(wrong.status).toBe(401);
      expect(wrong.body).not.toContain(TOKEN);
    });

    it('counts sign-ins, credentials, codes and lockouts, and times every tool', async () => {
      const client = await connect(server.baseUrl);
      const start = async () => ((await call(client, ToolName.createSession)).structuredContent as { sessionId: string }).sessionId;
      const a = await start();
      await call(client, ToolName.submitCredentials, { sessionId: a, email: 'ada@example.com', password: 'pw' });
      await call(client, ToolName.verifyCode, { sessionId: a, code: '111111' });
      await call(client, ToolName.verifyCode, { sessionId: a, code: '424242' });
      await call(client, ToolName.authStatus, { sessionId: a });
      const b = await start();
      await call(client, ToolName.submitCredentials, { sessionId: b, email: 'bob@example.com', password: 'pw' });
      for (let i = 0; i < 5; i++) await call(client, ToolName.verifyCode, { sessionId: b, code: '000000' });
      await call(client, ToolName.verifyCode, { sessionId: b, code: '424242' });
      await client.close();

      const res = await raw(server.baseUrl, { method: 'GET', path: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = res.body;
      expect(sample(text, 'target_auth_sign_ins_started_total')).toBe(2);
      expect(sample(text, 'target_auth_credentials_total{outcome="accepted"}')).toBe(2);
      expect(sample(text, 'target_auth_codes_total{outcome="accepted"}')).toBe(1);
      expect(sample(text, 'target_auth_codes_total{outcome="wrong_code"}')).toBe(5);
      expect(sample(text, 'target_auth_codes_total{outcome="locked"}')).toBe(2);
      expect(sample(text, 'target_auth_lockouts_total')).toBe(1);
      expect(sample(text, 'target_auth_sessions_live')).toBe(2);
      expect(sample(text, 'target_auth_tool_duration_seconds_count{tool="verify-target-code"}')).toBe(8);
      expect(sample(text, 'target_auth_tool_duration_seconds_count{tool="get-target-auth-status"}')).toBe(1);
      expect(text).toContain('nodejs_eventloop_lag_seconds');
    });
  });
});
