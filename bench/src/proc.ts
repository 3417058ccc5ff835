/** Starts a benchmark server entry as its own process and reads its { port, sessionId } line. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type ServerName = 'ours' | 'ours-redis' | 'bare-sdk' | 'bare-sdk-stateful' | 'bare-sdk-v2' | 'floor';

export interface BenchServer {
  name: ServerName;
  url: string;
  sessionId: string;
  /** The MCP session a stateful baseline opened for wrk to reuse, with its protocol version. */
  mcpSession?: { id: string; protocolVersion: string };
  child: ChildProcess;
  stop(): Promise<void>;
}

export function entry(name: ServerName): string {
  return fileURLToPath(new URL(`./servers/${name}.js`, import.meta.url));
}

/**
 * Node flags every server runs with: the ones the root `pnpm start` script
 * gives ours, given to the baselines too so the comparison is the strongest.
 */
const NODE_FLAGS = ['--no-allocation-site-pretenuring', '--max-semi-space-size=64'];

export function startBenchServer(name: ServerName, prefill = 0, nodeArgs: string[] = [], env: Record<string, string> = {}): Promise<BenchServer> {
  const child = spawn(process.execPath, [...NODE_FLAGS, ...nodeArgs, entry(name), String(prefill)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'development', ...env },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      child.stdout?.off('data', onData);
      const { port, sessionId, mcpSessionId, protocolVersion } = JSON.parse(line) as {
        port: number;
        sessionId: string;
        mcpSessionId?: string;
        protocolVersion?: string;
      };
      resolve({
        name,
        url: `http://127.0.0.1:${port}`,
        sessionId,
        ...(mcpSessionId && protocolVersion && { mcpSession: { id: mcpSessionId, protocolVersion } }),
        child,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
      });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited early (${code})`)));
  });
}

/** One JSON-RPC tools/call over Streamable HTTP. */
export async function callTool(url: string, name: string, args: Record<string, unknown>, id = 1): Promise<{ result?: any; error?: any }> {
  const response = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } }),
  });
  return (await response.json()) as { result?: any; error?: any };
}
