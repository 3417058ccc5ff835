/** Figure 3: the whole sign-in over MCP (create → authenticate-target → credentials → code → status), flow by flow. */
import { callTool } from './proc.js';
import { percentile } from './stats.js';

async function flow(url: string, n: number): Promise<void> {
  const created = await callTool(url, 'create-target-session', {}, n);
  const sessionId = created.result.structuredContent.sessionId as string;
  await callTool(url, 'authenticate-target', { sessionId }, n);
  await callTool(url, 'submit-target-credentials', { sessionId, email: 'lauren@example.com', password: 'bench-password' }, n);
  const signed = await callTool(url, 'verify-target-code', { sessionId, code: '123456' }, n);
  if (!signed.result?.structuredContent?.authenticated) throw new Error('flow did not sign in');
  await callTool(url, 'get-target-auth-status', { sessionId }, n);
}

export async function measureFlows(url: string, count = 1000): Promise<{ p50Ms: number; p99Ms: number; count: number }> {
  for (let i = 0; i < 100; i++) await flow(url, i);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await flow(url, i);
    times.push(performance.now() - start);
  }
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), count };
}
