import { describe, expect, it, jest } from '@jest/globals';
import { testConfig } from '../testing/fakes.js';
import type { MailOutbox } from './mail-outbox.js';
import { DemoOneTimeCodes } from './demo-one-time-codes.js';
import { MailedOneTimeCodes } from './mailed-one-time-codes.js';
import { maskEmail } from './one-time-codes.js';
import { matchingTotpStep, newTotpSecret, totpCode } from './totp.js';

const KEY = Buffer.alloc(32, 5);
const SESSION = 'sess_AAAAAAAAAAAAAAAAAAAAAAAA';

function mailed(key = KEY) {
  const enqueue = jest.fn<MailOutbox['enqueue']>().mockResolvedValue(undefined);
  return { sut: new MailedOneTimeCodes(key, { enqueue }), enqueue };
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
    expect(sut.matches(SESSION, code, check.slice(0, -2))).toBe(false);
    expect(sut.matches(SESSION, code, '')).toBe(false);
  });

  it('queues the code for the address with its purpose and expiry, and says where it went from the address as typed', async () => {
    const { sut, enqueue } = mailed();
    await sut.deliver('ada@example.com', '123456', 'reset', 1_000);
    expect(enqueue).toHaveBeenCalledWith({ email: 'ada@example.com', purpose: 'reset', code: '123456' }, 1_000);
    expect(sut.delivery('ada@example.com')).toEqual({ method: 'email', sentTo: 'a•••@example.com' });
    expect(sut.delivery('ADA@example.com')).toEqual({ method: 'email', sentTo: 'A•••@example.com' });
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
    expect(check).toBe('');
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
