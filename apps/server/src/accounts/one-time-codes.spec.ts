import { describe, expect, it, jest } from '@jest/globals';
import { testConfig } from '../testing/fakes.js';
import type { CodeMailer } from './code-mailer.js';
import { DemoOneTimeCodes } from './demo-one-time-codes.js';
import { MailedOneTimeCodes } from './mailed-one-time-codes.js';
import { maskEmail } from './one-time-codes.js';
import { matchingTotpStep, newTotpSecret, totpCode } from './totp.js';

const KEY = Buffer.alloc(32, 5);
const SESSION = 'sess_AAAAAAAAAAAAAAAAAAAAAAAA';

function mailed(key = KEY) {
  const send = jest.fn<CodeMailer['send']>().mockResolvedValue(undefined);
  return { sut: new MailedOneTimeCodes(key, { send } as unknown as CodeMailer, 10), send };
}

describe(maskEmail.name, () => {
  it('keeps the first letter and the domain, and masks anything without a local part', () => {
    expect(maskEmail('lauren@example.com')).toBe('l•••@example.com');
    expect(maskEmail('a@b@example.com')).toBe('a•••@example.com');
    expect(maskEmail('@example.com')).toBe('•••');
    expect(maskEmail('no-at-sign')).toBe('•••');
  });
});

describe(MailedOneTimeCodes.name, () => {
  it('makes six-digit codes, leading zeros kept, spread over the whole range', () => {
    const { sut } = mailed();
    const codes = Array.from({ length: 3000 }, () => sut.create(SESSION).code);
    expect(codes.every((code) => /^\d{6}$/.test(code))).toBe(true);
    expect(codes.some((code) => code.startsWith('0'))).toBe(true);
    expect(codes.some((code) => code.startsWith('9'))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(2900);
  });

  it('keeps only an HMAC that matches the code for the same session and key', () => {
    const { sut } = mailed();
    const { code, check } = sut.create(SESSION);
    expect(check).not.toContain(code);
    expect(sut.matches(SESSION, code, check)).toBe(true);
    const other = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(sut.matches(SESSION, other, check)).toBe(false);
    expect(sut.matches('sess_BBBBBBBBBBBBBBBBBBBBBBBB', code, check)).toBe(false);
    expect(mailed(Buffer.alloc(32, 6)).sut.matches(SESSION, code, check)).toBe(false);
  });

  it('matches nothing without a check, or with a check of another length', () => {
    const { sut } = mailed();
    const { code, check } = sut.create(SESSION);
    expect(sut.matches(SESSION, code, null)).toBe(false);
    expect(sut.matches(SESSION, code, check!.slice(0, -2))).toBe(false);
    expect(sut.matches(SESSION, code, '')).toBe(false);
  });

  it('mails the code with its purpose and lifetime, and says where it went without the address', async () => {
    const { sut, send } = mailed();
    await sut.deliver({ email: 'ada@example.com', name: 'Ada' }, '123456', 'reset');
    expect(send).toHaveBeenCalledWith({ to: 'ada@example.com', name: 'Ada', code: '123456', purpose: 'reset', validMinutes: 10 });
    expect(sut.delivery('ada@example.com')).toEqual({ method: 'email', sentTo: 'a•••@example.com' });
  });
});

describe(DemoOneTimeCodes.name, () => {
  it('with DEMO_CODE, matches only that code, kept as a hash', () => {
    const sut = new DemoOneTimeCodes(testConfig({ DEMO_CODE: '135790' }));
    const { code, check } = sut.create();
    expect(code).toBe('');
    expect(check).not.toContain('135790');
    expect(sut.matches(SESSION, '135790', check)).toBe(true);
    expect(sut.matches(SESSION, '135791', check)).toBe(false);
    expect(sut.delivery()).toEqual({ method: 'demo' });
  });

  it('without DEMO_CODE, matches any code', () => {
    const sut = new DemoOneTimeCodes(testConfig());
    const { check } = sut.create();
    expect(check).toBeNull();
    expect(sut.matches(SESSION, '000000', check)).toBe(true);
  });
});

describe('TOTP', () => {
  const now = Date.UTC(2026, 10, 28, 12, 0, 10);
  const step = Math.floor(now / 30_000);

  it('makes a 160-bit secret and the otpauth URI an authenticator app scans', () => {
    const { secret, uri } = newTotpSecret('ada@example.com');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret('ada@example.com').secret).not.toBe(secret);
    const parsed = new URL(uri);
    expect(parsed.protocol).toBe('otpauth:');
    expect(parsed.host).toBe('totp');
    expect(decodeURIComponent(parsed.pathname)).toBe('/Target:ada@example.com');
    expect(Object.fromEntries(parsed.searchParams)).toEqual({ issuer: 'Target', secret, algorithm: 'SHA1', digits: '6', period: '30' });
  });

  it('accepts the current code and one step of drift either way, naming the step', () => {
    const { secret } = newTotpSecret('ada@example.com');
    expect(matchingTotpStep(secret, 'ada@example.com', totpCode(secret, now), now)).toBe(step);
    expect(matchingTotpStep(secret, 'ada@example.com', totpCode(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchingTotpStep(secret, 'ada@example.com', totpCode(secret, now + 30_000), now)).toBe(step + 1);
    expect(matchingTotpStep(secret, 'ada@example.com', totpCode(secret, now - 60_000), now)).toBeNull();
    expect(totpCode(secret, now)).toMatch(/^\d{6}$/);
  });
});
