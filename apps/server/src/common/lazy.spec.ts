import { describe, expect, it } from '@jest/globals';
import { lazily } from './lazy.js';

describe(lazily.name, () => {
  it('runs once for every caller, and again after a failure', async () => {
    let runs = 0;
    const load = lazily(async () => {
      runs++;
      if (runs === 1) throw new Error('not yet');
      return runs;
    });
    await expect(load()).rejects.toThrow('not yet');
    expect(await Promise.all([load(), load()])).toEqual([2, 2]);
    expect(await load()).toBe(2);
    expect(runs).toBe(2);
  });
});
