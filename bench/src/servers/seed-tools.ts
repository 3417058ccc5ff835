/**
 * The seed's three tools over an in-memory Map, as the seed designs them, for
 * the bare-SDK baselines (bare-sdk*.ts). Written once against the one method
 * both SDK lines share, `registerTool(name, config, callback)`.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

interface AuthSession {
  authenticated: boolean;
  email: string | null;
  name: string | null;
  createdAt: number;
}

interface ToolRegistrar {
  registerTool(name: string, config: Record<string, unknown>, callback: (args: any) => Promise<any>): unknown;
}

const TTL = 600_000;
const authSessions = new Map<string, AuthSession>();
const newId = () => `sess_${randomBytes(18).toString('base64url')}`;
const text = (value: string) => [{ type: 'text' as const, text: value }];
const sessionInput = z.object({ sessionId: z.string() });

export function registerSeedTools(server: ToolRegistrar): void {
  server.registerTool('create-target-session', { description: 'Create a session' }, async () => {
    const sessionId = newId();
    authSessions.set(sessionId, { authenticated: false, email: null, name: null, createdAt: Date.now() });
    return { structuredContent: { sessionId, message: 'Session created' }, content: text('Session created') };
  });
  server.registerTool(
    'authenticate-target',
    { description: 'Show the sign-in widget', inputSchema: sessionInput, _meta: { 'openai/outputTemplate': 'ui://widget/target-auth.html' } },
    async ({ sessionId }: { sessionId: string }) => {
      const session = authSessions.get(sessionId);
      if (!session) return { content: text('Invalid session'), isError: true };
      return { structuredContent: { sessionId, authenticated: session.authenticated }, content: text('Authentication required') };
    },
  );
  server.registerTool('get-target-auth-status', { description: 'Auth status', inputSchema: sessionInput }, async ({ sessionId }: { sessionId: string }) => {
    const session = authSessions.get(sessionId);
    if (!session) return { content: text('Session not found'), isError: true };
    if (Date.now() - session.createdAt > TTL) {
      return { structuredContent: { authenticated: false, expired: true }, content: text('Your session has expired. Please log in again.') };
    }
    return { structuredContent: { authenticated: session.authenticated, email: session.email, name: session.name }, content: text('ok') };
  });
}

/** Fills the Map with `prefill` pending sessions and returns one signed-in session to query. */
export function seedSessions(prefill: number): string {
  setInterval(() => {
    const now = Date.now();
    for (const [id, session] of authSessions) if (now - session.createdAt > TTL) authSessions.delete(id);
  }, TTL).unref();
  for (let i = 0; i < prefill; i++) authSessions.set(newId(), { authenticated: false, email: null, name: null, createdAt: Date.now() });
  const sessionId = newId();
  authSessions.set(sessionId, { authenticated: true, email: 'lauren@example.com', name: 'Lauren Bailey', createdAt: Date.now() });
  return sessionId;
}
