import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { cookieOf } from './cookies.js';

const request = (cookie?: string) => ({ headers: cookie === undefined ? {} : { cookie } }) as IncomingMessage;

describe(cookieOf.name, () => {
  it('finds one cookie among others, keeping "=" in its value; none when absent or empty', () => {
    expect(cookieOf(request('a=1; target_upstream=x=y; b=2'), 'target_upstream')).toBe('x=y');
    expect(cookieOf(request('a=1'), 'target_upstream')).toBeUndefined();
    expect(cookieOf(request('target_upstream='), 'target_upstream')).toBeUndefined();
    expect(cookieOf(request(), 'target_upstream')).toBeUndefined();
    // A name is matched whole, not as a prefix.
    expect(cookieOf(request('target_upstream_x=1'), 'target_upstream')).toBeUndefined();
  });
});
