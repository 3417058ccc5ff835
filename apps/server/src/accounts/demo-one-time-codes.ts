import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CodeDelivery } from '@target-auth/shared/tools';
import { AppConfig } from '../config/app-config.js';
import { type IssuedCode, OneTimeCodes } from './one-time-codes.js';

const digest = (code: string): Buffer => createHash('sha256').update(code).digest();

/**
 * Demo mode: nothing is sent. With `DEMO_CODE` set only that code matches (kept
 * as a hash, compared in constant time); without it any six digits match.
 */
@Injectable()
export class DemoOneTimeCodes extends OneTimeCodes {
  private readonly expected: string | null;

  constructor(config: AppConfig) {
    super();
    this.expected = config.demo.code === undefined ? null : digest(config.demo.code).toString('base64url');
  }

  create(): IssuedCode {
    return { code: '', check: this.expected };
  }

  matches(_sessionId: string, code: string, check: string | null): boolean {
    if (check === null) return true;
    return timingSafeEqual(digest(code), Buffer.from(check, 'base64url'));
  }

  async deliver(): Promise<void> {}

  delivery(): CodeDelivery {
    return { method: 'demo' };
  }
}
