/**
 * Durable delivery of one-time codes. `enqueue` writes a row in the step that
 * makes the code, so a request never waits for SMTP and answers alike whether
 * or not the address has an account. A worker in every instance claims due
 * rows (`FOR UPDATE SKIP LOCKED`: each row by one worker, sent at most once),
 * looks the account up, mails the code to it (or drops the row for an unknown
 * or disabled address), and retries a failed send with backoff until the code
 * expires (an SMTP 5xx refusal is final at once). A restart loses nothing queued; a send cut off by a crash is given
 * up, never repeated. The row holds the address and code sealed under a key
 * from SECRET_KEY and is deleted once done. Partner: code-mailer.ts (SMTP or
 * .eml files).
 */
import { Logger } from '@nestjs/common';
import type { CodePurpose } from '@target-auth/shared/tools';
import { sql } from 'drizzle-orm';
import type { KeyRing } from './secret-key.js';
import type { CodeMailer } from './code-mailer.js';
import type { AccountStore } from './store/account-store.js';
import type { Db } from './store/database.js';
import { mailOutbox } from './store/schema.js';

/** A code to mail: to the account with this e-mail, if it has one. */
export interface QueuedCode {
  email: string;
  purpose: CodePurpose;
  code: string;
}

/** What became of a row: sent, dropped for an unknown or disabled address, or given up. */
export type MailOutcome = 'sent' | 'discarded' | 'failed';

export interface MailOutboxOptions {
  /** Minutes the code stays valid (said in the mail). */
  validMinutes: number;
  /** How often the worker looks for due rows besides being woken by `enqueue`. */
  pollMs?: number;
  /** The first retry's delay; each next one doubles, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A row claimed this long ago and not finished was cut off (a crash): given up, never sent twice. */
  abandonAfterMs?: number;
  onOutcome?: (outcome: MailOutcome) => void;
}

const BATCH = 20;

interface Claimed {
  id: number;
  payload: string;
  attempts: number;
  expires_at: Date | string;
}

export class MailOutbox {
  private readonly logger = new Logger('Mail');
  private readonly pollMs: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly abandonAfterMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly keys: KeyRing,
    private readonly mailer: CodeMailer,
    private readonly accounts: AccountStore,
    private readonly options: MailOutboxOptions,
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.backoffMs = options.backoffMs ?? 2000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.abandonAfterMs = options.abandonAfterMs ?? 5 * 60_000;
  }

  /** Queues a code until `expiresAt` (epoch ms) and wakes this instance's worker. */
  async enqueue(mail: QueuedCode, expiresAt: number): Promise<void> {
    const payload = this.keys.seal(JSON.stringify(mail), 'mail');
    await this.db.insert(mailOutbox).values({ payload, expiresAt: new Date(expiresAt) });
    this.wake();
  }

  /** Starts the worker (rows queued before a restart are sent too). */
  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Stops looking for rows and waits for the sends under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Rows waiting to be sent (for /metrics). */
  async queued(): Promise<number> {
    const [row] = await this.db.select({ count: sql<number>`count(*)::int` }).from(mailOutbox);
    return Number(row?.count ?? 0);
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.work()
      .catch((error: unknown) => this.logger.error(`Mail outbox unavailable: ${kindOf(error)}`))
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.wake();
        } else {
          this.timer = setTimeout(() => this.wake(), this.pollMs);
          this.timer.unref();
        }
      });
  }

  private async work(): Promise<void> {
    await this.abandonCutOff();
    for (let rows = await this.claim(); rows.length > 0 && !this.stopped; rows = await this.claim()) {
      for (const row of rows) await this.deliver(row);
    }
  }

  /** Due rows, marked as being sent by this worker. */
  private async claim(): Promise<Claimed[]> {
    const result = await this.db.execute(sql`
      update mail_outbox set status = 'sending', claimed_at = now(), attempts = attempts + 1
      where id in (
        select id from mail_outbox where status = 'pending' and next_attempt_at <= now()
        order by id limit ${BATCH} for update skip locked)
      returning id, payload, attempts, expires_at`);
    return rowsOf<Claimed>(result);
  }

  private async deliver(row: Claimed): Promise<void> {
    const expired = new Date(row.expires_at).getTime() <= Date.now();
    let mail: QueuedCode;
    try {
      mail = JSON.parse(this.keys.open(row.payload, 'mail')) as QueuedCode;
    } catch {
      return this.finish(row.id, 'failed', 'a queued code could not be read (was SECRET_KEY changed?)');
    }
    if (expired) return this.finish(row.id, 'failed', `a code expired before it could be mailed (${row.attempts - 1} failed attempts)`);
    const account = await this.accounts.findByEmail(mail.email);
    if (!account || account.status !== 'active') return this.finish(row.id, 'discarded');
    try {
      await this.mailer.send({ to: account.email, name: account.displayName, code: mail.code, purpose: mail.purpose, validMinutes: this.options.validMinutes });
    } catch (error) {
      if (refusedForGood(error)) return this.finish(row.id, 'failed', `the mail server refused a code for good (${kindOf(error)}, ${(error as { responseCode: number }).responseCode})`);
      const retryIn = Math.min(this.backoffMs * 2 ** (row.attempts - 1), this.maxBackoffMs);
      if (Date.now() + retryIn >= new Date(row.expires_at).getTime()) {
        return this.finish(row.id, 'failed', `a code could not be mailed before it expired (${row.attempts} attempts, last: ${kindOf(error)})`);
      }
      this.logger.warn(`Mail not sent (${kindOf(error)}); attempt ${row.attempts}, retrying in ${Math.round(retryIn / 1000)} s.`);
      await this.db.execute(sql`
        update mail_outbox set status = 'pending', claimed_at = null, next_attempt_at = now() + ${`${retryIn} milliseconds`}::interval
        where id = ${row.id}`);
      return;
    }
    return this.finish(row.id, 'sent');
  }

  /** Rows claimed long ago and never finished: their worker died mid-send. Given up, so no code is mailed twice. */
  private async abandonCutOff(): Promise<void> {
    const result = await this.db.execute(sql`
      delete from mail_outbox where status = 'sending' and claimed_at < now() - ${`${this.abandonAfterMs} milliseconds`}::interval
      returning id`);
    for (let cutOff = rowsOf(result).length; cutOff > 0; cutOff--) {
      this.logger.error('Mail given up: its send was cut off (the process stopped mid-send); it is not sent twice.');
      this.options.onOutcome?.('failed');
    }
  }

  private async finish(id: number, outcome: MailOutcome, why?: string): Promise<void> {
    await this.db.execute(sql`delete from mail_outbox where id = ${id}`);
    if (why) this.logger.error(`Mail given up: ${why}.`);
    this.options.onOutcome?.(outcome);
  }
}

/** An SMTP 5xx answer (a mailbox that does not exist, a message refused): trying again changes nothing. */
function refusedForGood(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | undefined)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** The rows of a raw query: `pg` and PGlite both answer `{ rows }`. */
function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return (result as { rows?: T[] }).rows ?? [];
}

/**
 * An error's kind for the log: its name and code, never its message (it may
 * carry addresses). Read by shape, not `instanceof`: errors of Node's own
 * modules may come from another realm (as under Jest).
 */
export function kindOf(error: unknown): string {
  const { name, code } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; code?: unknown };
  if (typeof name !== 'string') return 'unknown error';
  return typeof code === 'string' ? `${name} (${code})` : name;
}
