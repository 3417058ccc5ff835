import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import { CodeMailer } from './code-mailer.js';

const dirs: string[] = [];
afterEach(() => {
  jest.restoreAllMocks();
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

function outboxMailer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'target-auth-mail-'));
  dirs.push(dataDir);
  const mailer = new CodeMailer({ smtpUrl: undefined, from: 'Target <no-reply@target.test>', dataDir });
  const outbox = join(dataDir, 'outbox');
  const mails = async () => Promise.all(readdirSync(outbox).sort().map((name) => simpleParser(readFileSync(join(outbox, name)))));
  return { mailer, outbox, mails };
}

describe(CodeMailer.name, () => {
  it('without SMTP_URL, keeps each mail as a private .eml file in DATA_DIR/outbox', async () => {
    const { mailer, outbox, mails } = outboxMailer();
    await mailer.send({ to: 'ada@example.com', name: 'Ada Lovelace', code: '042137', purpose: 'sign-in', validMinutes: 10 });
    await mailer.send({ to: 'ada@example.com', name: 'Ada Lovelace', code: '555111', purpose: 'sign-in', validMinutes: 10 });
    const files = readdirSync(outbox);
    // Written aside and renamed: no half-written file is left behind.
    expect(files.some((name) => name.endsWith('.part'))).toBe(false);
    expect(files).toHaveLength(2);
    expect(files.every((name) => /^\d{4}-\d\d-\d\dT[\d-]+Z-[0-9a-f]{8}\.eml$/.test(name))).toBe(true);
    expect(statSync(outbox).mode & 0o777).toBe(0o700);
    expect(statSync(join(outbox, files[0]!)).mode & 0o777).toBe(0o600);
    const [first] = await mails();
    expect(first!.from?.text).toBe('"Target" <no-reply@target.test>');
    expect(first!.to).toMatchObject({ text: '"Ada Lovelace" <ada@example.com>' });
    mailer.close();
  });

  it('writes a sign-in mail: the code in the subject and body, its lifetime, and what to do if it was not you', async () => {
    const { mailer, mails } = outboxMailer();
    await mailer.send({ to: 'ada@example.com', name: 'Ada', code: '042137', purpose: 'sign-in', validMinutes: 10 });
    const [mail] = await mails();
    expect(mail!.subject).toBe('042137 is your Target sign-in code');
    expect(mail!.text).toBe('Hi Ada,\n\nUse this code to sign in to Target:\n\n    042137\n\nIt is valid for 10 minutes and works once.\nIf you did not try to sign in, change your password.\n');
    expect(mail!.html).toBe(
      '<p>Hi Ada,</p><p>Use this code to sign in to Target:</p><p style="font-size:28px;font-weight:700;letter-spacing:6px">042137</p>' +
        '<p>It is valid for 10 minutes and works once.<br>If you did not try to sign in, change your password.</p>',
    );
  });

  it('writes a reset mail in its own words, and escapes the name in HTML', async () => {
    const { mailer, mails } = outboxMailer();
    await mailer.send({ to: 'x@example.com', name: `<b>"Bob" & 'Al'</b>`, code: '999000', purpose: 'reset', validMinutes: 15 });
    const [mail] = await mails();
    expect(mail!.subject).toBe('999000 is your Target password reset code');
    expect(mail!.text).toContain('Use this code to reset your Target password:');
    expect(mail!.text).toContain('valid for 15 minutes');
    expect(mail!.text).toContain('If you did not ask to reset your password, ignore this mail: your password stays as it is.');
    expect(mail!.html).toContain('<p>Hi &lt;b&gt;&quot;Bob&quot; &amp; &#39;Al&#39;&lt;/b&gt;,</p>');
  });

  it('says once, when made, without address or code, that codes go to the outbox', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { mailer, outbox } = outboxMailer();
    expect(warn.mock.calls).toEqual([[`SMTP_URL is not set: codes are written as .eml files to ${outbox} instead of being mailed.`]]);
    for (let i = 0; i < 2; i++) await mailer.send({ to: 'ada@example.com', name: 'Ada', code: '042137', purpose: 'sign-in', validMinutes: 10 });
    expect(warn.mock.calls).toHaveLength(1);
    expect((warn.mock.contexts[0] as { context: string }).context).toBe('Mail');
    mailer.close();
  });

  it('says which SMTP server codes go through, never its credentials', () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const mailer = new CodeMailer({ smtpUrl: 'smtps://user:s3cret@smtp.example.com:465', from: 'Target <no-reply@target.test>', dataDir: '/nowhere' });
    expect(log.mock.calls).toEqual([['Codes are mailed through SMTP at smtp.example.com:465 (SMTP_URL).']]);
    mailer.close();
  });
});
