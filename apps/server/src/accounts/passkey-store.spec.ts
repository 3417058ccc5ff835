/** The passkey store's contract, on memory (demo mode) and on the database (here PGlite). */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { embeddedTestDatabase, type TestDatabase } from '../testing/databases.js';
import { DatabasePasskeyStore, MemoryPasskeyStore, type NewPasskey, type PasskeyStore } from './passkey-store.js';
import { AccountStore } from './store/account-store.js';
import { type Database, openDatabase } from './store/database.js';

let target: TestDatabase;
let database: Database;
const accounts: string[] = [];

beforeAll(async () => {
  target = embeddedTestDatabase();
  database = await openDatabase({ dataDir: target.dataDir });
  const store = new AccountStore(database.db);
  for (const email of ['ada@example.com', 'bob@example.com']) accounts.push((await store.create({ email, displayName: email, passwordHash: null })).id);
}, 60_000);

afterAll(async () => {
  await database.close();
  await target.drop();
});

const passkey = (id: string, accountId: string, createdAt: number): NewPasskey => ({
  id,
  accountId,
  publicKey: 'pQECAyYgASFY',
  counter: 0,
  transports: ['internal', 'hybrid'],
  deviceType: 'multiDevice',
  backedUp: true,
  name: `Key ${id}`,
  createdAt,
});

describe.each([
  ['memory', () => new MemoryPasskeyStore()],
  ['database', () => new DatabasePasskeyStore(database.db)],
] as [string, () => PasskeyStore][])('%s passkey store', (name, make) => {
  it('adds a credential once, finds it by id and lists an account\'s own, oldest first', async () => {
    const sut = make();
    const [ada, bob] = accounts as [string, string];
    expect(await sut.add(passkey(`${name}-2`, ada, 2000))).toBe(true);
    expect(await sut.add(passkey(`${name}-1`, ada, 1000))).toBe(true);
    expect(await sut.add(passkey(`${name}-3`, bob, 3000))).toBe(true);
    expect(await sut.add({ ...passkey(`${name}-1`, bob, 4000), name: 'Taken' })).toBe(false);
    expect(await sut.find(`${name}-1`)).toEqual({ ...passkey(`${name}-1`, ada, 1000), lastUsedAt: null });
    expect(await sut.find('missing')).toBeNull();
    expect((await sut.list(ada)).map((found) => found.id)).toEqual([`${name}-1`, `${name}-2`]);
    expect(await sut.find(`${name}-3`)).toMatchObject({ accountId: bob, transports: ['internal', 'hybrid'] });
  });

  it('moves the counter only from the value read (one use counts once)', async () => {
    const sut = make();
    const [ada] = accounts as [string];
    await sut.add({ ...passkey(`${name}-c`, ada, 1000), transports: [] });
    expect(await sut.used(`${name}-c`, 0, 5, false, 9000)).toBe(true);
    expect(await sut.used(`${name}-c`, 0, 6, false, 9500)).toBe(false);
    expect(await sut.find(`${name}-c`)).toMatchObject({ counter: 5, backedUp: false, lastUsedAt: 9000, transports: [] });
    expect(await sut.used('missing', 0, 1, true, 1)).toBe(false);
  });

  it("renames and removes only the account's own", async () => {
    const sut = make();
    const [ada, bob] = accounts as [string, string];
    await sut.add(passkey(`${name}-r`, ada, 1000));
    expect(await sut.rename(bob, `${name}-r`, 'Stolen')).toBe(false);
    expect(await sut.rename(ada, `${name}-r`, 'Phone')).toBe(true);
    expect(await sut.find(`${name}-r`)).toMatchObject({ name: 'Phone' });
    expect(await sut.remove(bob, `${name}-r`)).toBe(false);
    expect(await sut.remove(ada, `${name}-r`)).toBe(true);
    expect(await sut.remove(ada, `${name}-r`)).toBe(false);
    expect(await sut.find(`${name}-r`)).toBeNull();
  });
});

describe(MemoryPasskeyStore.name, () => {
  it('keeps at most its limit, the oldest going first, and hands out copies', async () => {
    const sut = new MemoryPasskeyStore(2);
    for (const id of ['a', 'b', 'c']) await sut.add(passkey(id, 'acct', 1));
    expect(await sut.find('a')).toBeNull();
    const found = (await sut.find('b'))!;
    found.name = 'changed';
    expect((await sut.find('b'))!.name).toBe('Key b');
  });
});
