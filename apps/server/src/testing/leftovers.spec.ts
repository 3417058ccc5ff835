import { describe, expect, it } from '@jest/globals';
import { closeLater, closeLeftovers } from './leftovers.js';

describe('closeLater', () => {
  it('closes once, and what was closed is no longer a leftover', async () => {
    const closed: string[] = [];
    const close = closeLater(async () => void closed.push('a'));
    await Promise.all([close(), close()]);
    await closeLeftovers();
    expect(closed).toEqual(['a']);
  });

  it('closes every leftover, newest first, even when one fails, then says what failed', async () => {
    const closed: string[] = [];
    closeLater(async () => void closed.push('first'));
    closeLater(async () => {
      throw new Error('stuck');
    });
    closeLater(async () => void closed.push('last'));
    await expect(closeLeftovers()).rejects.toThrow('stuck');
    expect(closed).toEqual(['last', 'first']);
    await closeLeftovers();
    expect(closed).toHaveLength(2);
  });
});
