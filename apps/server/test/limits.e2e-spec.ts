import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ToolName } from '@target-auth/shared/tools';
import { call, connect, raw, type Running, startServer, text } from './helpers.js';

describe('configured limits (e2e)', () => {
  let server: Running;

  beforeAll(async () => {
    server = await startServer({ MAX_SESSIONS: '2', MAX_SSE_STREAMS: '1' });
  });
  afterAll(() => server.close());

  it('refuses new sessions with a clear error once the store is full of sign-ins past their credentials', async () => {
    const client = await connect(server.baseUrl);
    for (let i = 0; i < 2; i++) {
      const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
      await call(client, ToolName.submitCredentials, { sessionId, email: 'a@example.com', password: 'pw' });
    }
    const third = await call(client, ToolName.createSession);
    expect(third.isError).toBe(true);
    expect(third.structuredContent).toMatchObject({ error: 'unavailable' });
    expect(text(third)).toBe('Too many sign-ins in progress. Try again in a few minutes.');
    await client.close();
  });

  it('refuses an SSE stream beyond the configured maximum with 503, and accepts one again after a close', async () => {
    const first = await connect(server.baseUrl, 'sse');
    const second = await raw(server.baseUrl, { method: 'GET', path: '/mcp', headers: { accept: 'text/event-stream' } });
    expect(second.status).toBe(503);
    expect(JSON.parse(second.body).error.message).toMatch(/Too many open event streams/);
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await connect(server.baseUrl, 'sse');
    await expect(again.listTools()).resolves.toHaveProperty('tools');
    await again.close();
  });
});
