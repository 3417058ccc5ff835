import { describe, expect, it, jest } from '@jest/globals';
import { FakeClock } from '../testing/fakes.js';
import { MemorySessionStore } from './memory-session.store.js';
import { isOpened, opened, pending, signedIn, waiting } from '../testing/records.js';

function setup(maxSessions = 10_000, sliceSize = 100) {
  const clock = new FakeClock(0);
  const sut = new MemorySessionStore(clock, { maxSessions, retentionMs: 1000, sweepEveryMs: 1000, sliceSize });
  return { sut, clock };
}

describe(MemorySessionStore.name, () => {
  it('purges only sessions expired longer than the retention', async () => {
    const { sut, clock } = setup();
    await sut.insert('a', pending(100));
    await sut.insert('b', pending(2000));
    clock.advance(1100);
    expect(await sut.sweep()).toBe(1);
    expect(await sut.get('a')).toBeUndefined();
    expect(await sut.get('b')).toBeDefined();
  });

  it('sweeps a large store in slices, yielding to other work between them', async () => {
    const { sut, clock } = setup(100_000, 1000);
    for (let i = 0; i < 10_000; i++) await sut.insert(`s${i}`, pending(10));
    clock.advance(5000);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const sweeping = sut.sweep();
    expect(await sut.size()).toBe(9000);
    expect(await sweeping).toBe(10_000);
    clearInterval(ticker);
    expect(await sut.size()).toBe(0);
    expect(ticks).toBeGreaterThan(0);
  });

  it('moves an extended session behind the others so the sweep order stays by expiry', async () => {
    const { sut, clock } = setup();
    await sut.insert('early', pending(100));
    await sut.insert('late', pending(200));
    await sut.transition('early', () => ({ next: signedIn(5000), result: null }));
    clock.advance(1300);
    expect(await sut.sweep()).toBe(1);
    expect(await sut.get('late')).toBeUndefined();
    expect((await sut.get('early'))?.step).toBe('authenticated');
  });

  it('stays bounded under a create-only flood by evicting the oldest sessions nobody used', async () => {
    const { sut } = setup(50);
    const accepted = [];
    for (let i = 0; i < 500; i++) accepted.push(await sut.insert(`s${i}`, pending(1_000_000 + i)));
    expect(accepted.every(Boolean)).toBe(true);
    expect(await sut.size()).toBe(50);
    expect(await sut.get('s0')).toBeUndefined();
    expect(await sut.get('s499')).toBeDefined();
  });

  it('evicts never-opened sessions before opened ones, and never one past credentials', async () => {
    const { sut } = setup(3);
    await sut.insert('verify', waiting(100));
    await sut.insert('opened', pending(200, true));
    await sut.insert('fresh', pending(300));
    expect(await sut.insert('new1', pending(400))).toBe(true);
    expect(await sut.get('fresh')).toBeUndefined();
    expect(await sut.get('opened')).toBeDefined();
    expect(await sut.insert('new2', pending(500))).toBe(true);
    expect(await sut.get('new1')).toBeUndefined();
    expect(await sut.insert('new3', pending(600))).toBe(true);
    expect(await sut.get('new2')).toBeUndefined();
    expect(await sut.get('verify')).toBeDefined();
  });

  it('refuses a new session only when every held one is past credentials', async () => {
    const { sut } = setup(2);
    await sut.insert('a', waiting(100));
    await sut.insert('b', signedIn(100));
    expect(await sut.insert('c', pending(100))).toBe(false);
    expect(await sut.size()).toBe(2);
  });

  it('purges one slice at a time, across shards, stopping at the slice size', async () => {
    const { sut, clock } = setup(10_000, 7);
    // Ten sessions in each of two shards (a shard is chosen by the id's last character).
    for (let i = 0; i < 10; i++) {
      await sut.insert(`a${i}-x`, pending(10));
      await sut.insert(`b${i}-y`, pending(10));
    }
    clock.advance(5000);
    const sweeping = sut.sweep();
    expect(await sut.size()).toBe(13);
    expect(await sweeping).toBe(20);
  });

  it('runs one sweep at a time: a sweep asked for while one runs does nothing', async () => {
    const { sut, clock } = setup(100_000, 10);
    for (let i = 0; i < 100; i++) await sut.insert(`s${i}`, pending(10));
    clock.advance(5000);
    const first = sut.sweep();
    expect(await sut.sweep()).toBe(0);
    expect(await first).toBe(100);
    expect(await sut.sweep()).toBe(0);
  });

  it('sweeps by itself every sweepEveryMs once started, and not after the module is destroyed', async () => {
    jest.useFakeTimers();
    try {
      const { sut, clock } = setup();
      sut.onModuleInit();
      await sut.insert('a', pending(10));
      clock.advance(2000);
      await jest.advanceTimersByTimeAsync(1000);
      expect(await sut.size()).toBe(0);
      sut.onModuleDestroy();
      await sut.insert('b', pending(clock.now()));
      clock.advance(2000);
      await jest.advanceTimersByTimeAsync(5000);
      expect(await sut.size()).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('counts a session a transition creates', async () => {
    const { sut } = setup();
    await sut.transition('new', (record) => ({ next: record ?? pending(100), result: null }));
    await sut.transition('new', (record) => ({ next: opened(record), result: null }));
    expect(await sut.size()).toBe(1);
    expect(isOpened(await sut.get('new'))).toBe(true);
  });

  it('on a full store, purges only one slice of expired sessions per insert', async () => {
    const { sut, clock } = setup(5, 2);
    for (let i = 0; i < 5; i++) await sut.insert(`s${i}`, pending(10));
    clock.advance(2000);
    expect(await sut.insert('new', pending(5000))).toBe(true);
    expect(await sut.size()).toBe(4);
  });

  it('looks only at the first 32 sessions of each shard for one to evict, so a full insert costs bounded work', async () => {
    const { sut } = setup(41);
    // All in one shard: 40 sessions past credentials, then one that could be evicted, out of reach.
    for (let i = 0; i < 40; i++) await sut.insert(`v${i}-z`, waiting(100 + i));
    await sut.insert('fresh-z', pending(500));
    expect(await sut.insert('new-z', pending(600))).toBe(false);
    expect(await sut.get('fresh-z')).toBeDefined();
  });

  it('makes room for new sessions by purging expired ones when full', async () => {
    const { sut, clock } = setup(2);
    await sut.insert('a', pending(10));
    await sut.insert('b', pending(10));
    clock.advance(2000);
    expect(await sut.insert('c', pending(5000))).toBe(true);
  });
});
