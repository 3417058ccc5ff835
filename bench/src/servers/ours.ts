/**
 * Our server for the benchmarks: the real Nest app (apps/server), run with the
 * same node flags as `pnpm start` (proc.ts), with `argv[2]` live sessions created through SessionService before it listens.
 * Prints one JSON line: { port, sessionId } (a signed-in session to query).
 */
import { createApp, loadConfig, SessionService } from '@target-auth/server/app';

const prefill = Number(process.argv[2] ?? 0);
const config = loadConfig({ PORT: '0', LOG_LEVEL: 'error', MAX_SESSIONS: String(prefill + 100_000) });
const app = await createApp(config);
const sessions = app.get(SessionService);
for (let i = 0; i < prefill; i++) await sessions.create();
const { sessionId } = await sessions.create();
await sessions.submitCredentials(sessionId, 'lauren@example.com', 'bench-password');
await sessions.verifyCode(sessionId, '123456');
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address() as { port: number };
console.log(JSON.stringify({ port, sessionId }));

process.once('SIGINT', () => process.exit(0));
