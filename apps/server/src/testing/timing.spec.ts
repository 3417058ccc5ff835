import { describe, expect, it } from '@jest/globals';
import { mannWhitneyP, median } from './timing.js';

describe(mannWhitneyP.name, () => {
  it('finds no difference between samples of one distribution, and a clear one between shifted samples', () => {
    const noise = (seed: number) => Array.from({ length: 200 }, (_, i) => 10 + Math.sin(i * 12.9898 + seed) * 0.5);
    expect(mannWhitneyP(noise(1), noise(2))).toBeGreaterThan(0.2);
    expect(mannWhitneyP(noise(1), noise(1).map((value) => value + 0.2))).toBeLessThan(0.001);
  });

  it('matches a known answer (ties included), and is symmetric', () => {
    // By hand: ranks of a are 1, 2, 3.5, 5 (the tie at 3 shares 3 and 4), so U = 11.5 - 10 = 1.5; with the tie
    // correction σ² = 4·5/12 · (10 - 6/90) and the continuity correction, z = (10 - 1.5 - 0.5) / σ = 1.968, p = 0.0491.
    const a = [1, 2, 3, 4];
    const b = [3, 5, 6, 7, 8];
    expect(mannWhitneyP(a, b)).toBeCloseTo(0.0491, 3);
    expect(mannWhitneyP(b, a)).toBeCloseTo(mannWhitneyP(a, b), 10);
    expect(mannWhitneyP([5, 5, 5], [5, 5, 5])).toBe(1);
  });
});

describe(median.name, () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
