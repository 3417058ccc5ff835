/** A redis-server for the shared-state rows: own port, no persistence, and its counters (commands, CPU). */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { freePort } from '@target-auth/testing/ports';

export interface BenchRedis {
  url: string;
  pid: number;
  /** Commands Redis has processed so far (INFO stats). */
  commands(): Promise<number>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<BenchRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  for (let waited = 0; ; waited += 50) {
    try {
      await client.connect();
      await client.ping();
      break;
    } catch {
      if (waited > 5000) throw new Error('redis-server did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    pid: child.pid!,
    commands: async () => Number(/total_commands_processed:(\d+)/.exec(await client.info('stats'))?.[1] ?? 0),
    stop: async () => {
      client.disconnect();
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
  };
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of the full line (12 and 13 after the command name).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
