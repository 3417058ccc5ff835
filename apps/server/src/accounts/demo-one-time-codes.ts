import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { OneTimeCodes } from './one-time-codes.js';

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

  async issue(): Promise<string | null> {
    return this.expected;
  }

  matches(code: string, codeCheck: string | null): boolean {
    if (codeCheck === null) return true;
    return timingSafeEqual(digest(code), Buffer.from(codeCheck, 'base64url'));
  }
}
