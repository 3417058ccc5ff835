/**
 * Mails one-time codes with nodemailer: to `SMTP_URL`, or, without one, as
 * `.eml` files in `DATA_DIR/outbox` (for trying real mode on a laptop). Called
 * by the mail outbox's worker (mail-outbox.ts), never on a request's path; a
 * slow or silent SMTP server is given up within the timeouts below and tried
 * again later. Logs never carry the code or the address.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { CodePurpose } from '@target-auth/shared/tools';
import { createTransport, type Transporter } from 'nodemailer';

export interface CodeMail {
  to: string;
  name: string;
  code: string;
  purpose: CodePurpose;
  validMinutes: number;
}

export class CodeMailer {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter;
  private readonly outbox: string | undefined;
  private readonly from: string;

  constructor(options: { smtpUrl: string | undefined; from: string; dataDir: string }) {
    this.from = options.from;
    if (options.smtpUrl) {
      this.transport = createTransport({ url: options.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
      this.logger.log(`Codes are mailed through SMTP at ${new URL(options.smtpUrl).host} (SMTP_URL).`);
    } else {
      this.outbox = join(options.dataDir, 'outbox');
      this.transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      this.logger.warn(`SMTP_URL is not set: codes are written as .eml files to ${this.outbox} instead of being mailed.`);
    }
  }

  async send(mail: CodeMail): Promise<void> {
    const message = compose(mail);
    const info = await this.transport.sendMail({ from: this.from, to: { name: mail.name, address: mail.to }, ...message });
    if (this.outbox) await this.keep(info.message as Buffer);
  }

  close(): void {
    this.transport.close();
  }

  private async keep(message: Buffer): Promise<void> {
    await mkdir(this.outbox!, { recursive: true, mode: 0o700 });
    const file = join(this.outbox!, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
    // Written aside, then renamed: whoever reads the folder sees whole mails only.
    await writeFile(`${file}.part`, message, { mode: 0o600 });
    await rename(`${file}.part`, file);
  }
}

/** What each purpose's mail says: what the code does, its subject, and what to do if the person did not ask. */
const WORDING: Record<CodeMail['purpose'], { what: string; subject: string; ignore: string }> = {
  'sign-in': { what: 'sign in to Target', subject: 'is your Target sign-in code', ignore: 'If you did not try to sign in, change your password.' },
  reset: {
    what: 'reset your Target password',
    subject: 'is your Target password reset code',
    ignore: 'If you did not ask to reset your password, ignore this mail: your password stays as it is.',
  },
  link: {
    what: 'confirm it is you, so that your other sign-in (Google, Microsoft, …) is added to your Target account',
    subject: 'is your code to add a sign-in to Target',
    ignore: 'If you did not try to sign in, ignore this mail: nothing is added without this code.',
  },
};

function compose({ name, code, purpose, validMinutes }: CodeMail): { subject: string; text: string; html: string } {
  const { what, ignore } = WORDING[purpose];
  const subject = `${code} ${WORDING[purpose].subject}`;
  const text = `Hi ${name},\n\nUse this code to ${what}:\n\n    ${code}\n\nIt is valid for ${validMinutes} minutes and works once.\n${ignore}\n`;
  const html =
    `<p>Hi ${escapeHtml(name)},</p><p>Use this code to ${what}:</p>` +
    `<p style="font-size:28px;font-weight:700;letter-spacing:6px">${code}</p>` +
    `<p>It is valid for ${validMinutes} minutes and works once.<br>${ignore}</p>`;
  return { subject, text, html };
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
