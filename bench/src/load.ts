/** Runs wrk (Debian's) with wrk/status.lua against a server and reads its WRK_JSON line. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../wrk/status.lua', import.meta.url));

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  requests: number;
}

/** How wrk speaks: the protocol era, and the MCP session a stateful baseline needs. */
export interface WrkTarget {
  url: string;
  sessionId: string;
  era?: 'legacy' | 'modern';
  mcpSession?: { id: string; protocolVersion: string };
}

export async function wrk(target: WrkTarget, seconds: number, connections = 32): Promise<LoadResult> {
  const { url, sessionId, era = 'legacy', mcpSession } = target;
  const env = {
    ...process.env,
    SESSION_ID: sessionId,
    MCP_ERA: era,
    ...(mcpSession && { MCP_SESSION_ID: mcpSession.id, MCP_PROTOCOL_VERSION: mcpSession.protocolVersion }),
  };
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', SCRIPT, `${url}/mcp`], { env });
  const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
  const r = JSON.parse(line.slice('WRK_JSON '.length)) as { requests: number; duration_us: number; errors: number; non2xx: number; p50_us: number; p99_us: number };
  return {
    rps: r.requests / (r.duration_us / 1e6),
    p50Ms: r.p50_us / 1000,
    p99Ms: r.p99_us / 1000,
    errors: r.errors + r.non2xx,
    requests: r.requests,
  };
}

export async function hasWrk(): Promise<boolean> {
  try {
    await run('wrk', ['--version']);
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its version.
    return (error as { stdout?: string }).stdout?.includes('wrk') ?? false;
  }
}
