import type { Account } from './account-directory.js';

/**
 * Second factor. `issue` makes and delivers a code and returns what the session
 * keeps to check it later (a hash, never the code itself); `matches` compares in
 * constant time. The demo version lives in demo-one-time-codes.ts.
 */
export abstract class OneTimeCodes {
  abstract issue(account: Account): Promise<string | null>;
  abstract matches(code: string, codeCheck: string | null): boolean;
}
