/**
 * Our server on Redis (REDIS_URL from the environment), for the shared-state
 * rows of the benchmark. Prints { port, sessionId } like ours.ts; with
 * BENCH_SESSION_ID set it queries that session (made by another instance)
 * instead of making one.
 */
import { createApp, loadConfig, SessionService } from '@target-auth/server/app';

const config = loadConfig({ PORT: '0', LOG_LEVEL: 'error', REDIS_URL: process.env['REDIS_URL'] ?? '' });
const app = await createApp(config);
await app.listen(0, '127.0.0.1');
// Wait until Redis answers before making or reading sessions.
for (let ready = false; !ready; ) {
  const response = await fetch(`http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/readyz`);
  ready = response.ok;
  if (!ready) await new Promise((resolve) => setTimeout(resolve, 50));
}
let sessionId = process.env['BENCH_SESSION_ID'];
if (!sessionId) {
  const sessions = app.get(SessionService);
  sessionId = (await sessions.create()).sessionId;
  await sessions.submitCredentials(sessionId, 'lauren@example.com', 'bench-password');
  await sessions.verifyCode(sessionId, '123456');
}
const { port } = app.getHttpServer().address() as { port: number };
console.log(JSON.stringify({ port, sessionId }));

process.once('SIGINT', () => process.exit(0));
