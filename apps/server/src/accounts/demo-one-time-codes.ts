import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { type IssuedCode, type MailDelivery, OneTimeCodes } from './one-time-codes.js';

const digest = (code: string): Buffer => createHash('sha256').update(code).digest();

/**
 * Demo mode: nothing is sent. With `DEMO_CODE` set only that code matches (kept
 * as a hash, compared in constant time); without it any six digits match.
 */
@Injectable()
export class DemoOneTimeCodes extends OneTimeCodes {
  /** The hash of DEMO_CODE, or empty: any code. */
  private readonly expected: string;

  constructor(config: AppConfig) {
    super();
    this.expected = config.demo.code === undefined ? '' : digest(config.demo.code).toString('base64url');
  }

  create(): IssuedCode {
    return { code: '', check: this.expected };
  }

  matches(_sessionId: string, code: string, check: string): boolean {
    if (check === '') return true;
    return timingSafeEqual(digest(code), Buffer.from(check, 'base64url'));
  }

  async deliver(): Promise<void> {}

  delivery(): MailDelivery {
    return { method: 'demo' };
  }
}
