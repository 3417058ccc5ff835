/**
 * Figure 4, run in its own process with --expose-gc: heap bytes per pending
 * session, time to create 1 000 000, and the longest event-loop pause while
 * 1 000 000 sessions expire and are swept. Prints one JSON line.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp, loadConfig, SessionService } from '@target-auth/server/app';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
};

async function perSession(count: number): Promise<{ bytesPerSession: number; createMs: number; app: Awaited<ReturnType<typeof createApp>> }> {
  const app = await createApp(loadConfig({ LOG_LEVEL: 'error', MAX_SESSIONS: String(count + 10), SESSION_TTL_MS: '600000' }));
  await app.init();
  const sessions = app.get(SessionService);
  const before = await settle();
  const start = performance.now();
  for (let i = 0; i < count; i++) await sessions.create();
  const createMs = performance.now() - start;
  const after = await settle();
  return { bytesPerSession: (after - before) / count, createMs, app };
}

const small = await perSession(100_000);
await small.app.close();
const large = await perSession(1_000_000);
await large.app.close();

// Expiry: a store whose clock we move past TTL + retention, swept by the same code the timer runs.
const { MemorySessionStore } = await import('@target-auth/server/memory-store');
const { pendingRecord } = await import('@target-auth/server/session-record');
let now = 0;
const store = new MemorySessionStore({ now: () => now }, { maxSessions: 2_000_000, retentionMs: 600_000, sweepEveryMs: 60_000 });
for (let i = 0; i < 1_000_000; i++) await store.insert(`sess_${i.toString(36).padStart(24, '0')}`, pendingRecord(600_000));
now = 1_200_001;
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const ticker = setInterval(() => undefined, 1);
const sweepStart = performance.now();
const purged = await store.sweep();
const sweepMs = performance.now() - sweepStart;
clearInterval(ticker);
delay.disable();

console.log(
  JSON.stringify({
    bytesPerSession100k: small.bytesPerSession,
    bytesPerSession1M: large.bytesPerSession,
    create1MMs: large.createMs,
    purged,
    sweepMs,
    maxLoopPauseMs: delay.max / 1e6,
  }),
);
