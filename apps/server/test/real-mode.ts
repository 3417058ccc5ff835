/**
 * Real-mode fixtures for e2e specs: an SMTP server in the test process that
 * keeps every mail (codes are read from them, as a person would), the built
 * accounts CLI, and a solver for the proof-of-work challenge.
 */
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ProofOfWorkChallenge } from '@target-auth/shared/tools';
import { type Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { closeLater } from '../src/testing/leftovers.js';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  raw: string;
}

export class TestMailbox {
  readonly mails: ReceivedMail[] = [];
  private waiters: (() => void)[] = [];
  private stopping: (() => Promise<void>) | undefined;

  /** `refuses`: recipients this server answers 550 (a mailbox that does not exist). */
  constructor(private readonly refuses: (to: string) => boolean = () => false) {}

  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo: (address, _session, done) => {
      if (this.refuses(address.address)) done(Object.assign(new Error('5.1.1 No such mailbox'), { responseCode: 550 }));
      else done();
    },
    onData: (stream, session, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            const to = session.envelope.rcptTo.map((rcpt) => rcpt.address).join(',');
            this.mails.push({ to, subject: parsed.subject ?? '', text: parsed.text ?? '', html: String(parsed.html || ''), raw });
            for (const wake of this.waiters.splice(0)) wake();
            done();
          },
          (error: Error) => done(error),
        );
      });
    },
  });

  /** Listens on `port` (a free one by default); the SMTP_URL to reach it. */
  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.stopping = closeLater(() => new Promise<void>((resolve) => this.server.close(() => resolve())));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  /** Stops listening (once, however often called; after the spec file if a failed test did not). */
  stop(): Promise<void> {
    return this.stopping?.() ?? Promise.resolve();
  }

  /** The code of the `nth` mail to `to` (1-based, counting from the mails seen so far), waiting for it to arrive. */
  async codeFor(to: string, after = 0): Promise<string> {
    const mail = await this.next(to, after);
    const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
    if (!code) throw new Error(`No code in the mail to ${to}`);
    return code;
  }

  count(to: string): number {
    return this.mails.filter((mail) => mail.to === to).length;
  }

  /** Waits until `enough` holds of the mails received (checked as each arrives), for up to `timeoutMs`. */
  async until(enough: (mails: readonly ReceivedMail[]) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!enough(this.mails)) {
      if (Date.now() > deadline) throw new Error(`The mails expected did not arrive within ${timeoutMs} ms (${this.mails.length} received)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  private readonly read = new Map<string, number>();

  /** The code of the first mail to `to` that this method has not returned before, waiting for it (mails go out after the answer). */
  async nextCode(to: string): Promise<string> {
    const seen = this.read.get(to) ?? 0;
    this.read.set(to, seen + 1);
    return this.codeFor(to, seen);
  }

  private async next(to: string, after: number): Promise<ReceivedMail> {
    if (after < 0) throw new Error(`No mail to ${to} before the first`);
    const deadline = Date.now() + 5000;
    for (;;) {
      const mine = this.mails.filter((mail) => mail.to === to);
      if (mine.length > after) return mine[after]!;
      if (Date.now() > deadline) throw new Error(`No mail to ${to} within 5 s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }
}

const CLI = fileURLToPath(new URL('../dist/cli/accounts.js', import.meta.url));

/** Runs `pnpm accounts …` (the built CLI) with these settings; `stdin` is piped in. */
export function accountsCli(args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, ...out })));
}

/** Solves a `challenge_required` challenge as the widget does; the `altcha` value to resubmit. */
export async function solve(challenge: ProofOfWorkChallenge): Promise<string> {
  const solution = await solveChallenge({ challenge: challenge as unknown as Challenge, deriveKey });
  if (!solution) throw new Error('challenge not solved');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}
