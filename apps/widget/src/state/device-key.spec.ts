import { describe, expect, it } from '@jest/globals';
import { deviceKey } from './device-key';

/** A Storage stand-in; `broken` throws as a blocked or full storage does. */
function memoryStorage(broken: 'get' | 'set' | 'drop' | false = false) {
  const items = new Map<string, string>();
  return {
    items,
    getItem(key: string) {
      if (broken === 'get') throw new DOMException('blocked', 'SecurityError');
      return items.get(key) ?? null;
    },
    setItem(key: string, value: string) {
      if (broken === 'set') throw new DOMException('full', 'QuotaExceededError');
      // Some sandboxes accept writes and keep nothing.
      if (broken !== 'drop') items.set(key, value);
    },
  };
}

describe(deviceKey.name, () => {
  it('makes 32 random bytes in base64url once, and gives the same key after', () => {
    const storage = memoryStorage();
    const key = deviceKey(storage);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(deviceKey(storage)).toBe(key);
    expect(storage.items.get('target-auth.device')).toBe(key);
    expect(deviceKey(memoryStorage())).not.toBe(key);
  });

  it('replaces a kept value that is not a key', () => {
    const storage = memoryStorage();
    storage.items.set('target-auth.device', 'not a key');
    const key = deviceKey(storage);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(storage.items.get('target-auth.device')).toBe(key);
  });

  it('has no key where storage is missing, blocked, full or forgetful', () => {
    expect(deviceKey(null)).toBeUndefined();
    expect(deviceKey(memoryStorage('get'))).toBeUndefined();
    expect(deviceKey(memoryStorage('set'))).toBeUndefined();
    expect(deviceKey(memoryStorage('drop'))).toBeUndefined();
  });

  it("uses the page's localStorage by default", () => {
    localStorage.clear();
    const key = deviceKey();
    expect(localStorage.getItem('target-auth.device')).toBe(key);
  });
});
