/**
 * This browser's device key: 32 random bytes (base64url) made once and kept in
 * the page's localStorage (the host's sandbox origin in a chat, this server's
 * origin on the hosted page). Sent with credentials and reset requests, it
 * lets a browser that signed in before keep its own failure budget, so
 * strangers guessing the password never slow or refuse it. It proves nothing
 * by itself (the password and code are still asked) and is never shown, put
 * in widget state or sent anywhere else. Where storage is blocked there is no
 * key, and sign-in works as for any new browser.
 */
import { DEVICE_SECRET_PATTERN } from '@target-auth/shared/tools';

const STORAGE_KEY = 'target-auth.device';

/** The key kept in `storage`, made on first use; undefined where there is no storage (null) or it fails. */
export function deviceKey(storage: Pick<Storage, 'getItem' | 'setItem'> | null = localStorageOrNull()): string | undefined {
  if (!storage) return undefined;
  try {
    const kept = storage.getItem(STORAGE_KEY);
    if (kept !== null && DEVICE_SECRET_PATTERN.test(kept)) return kept;
    const made = base64url(crypto.getRandomValues(new Uint8Array(32)));
    storage.setItem(STORAGE_KEY, made);
    return storage.getItem(STORAGE_KEY) === made ? made : undefined;
  } catch {
    return undefined;
  }
}

function localStorageOrNull(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    // A sandboxed frame without its own origin throws on the mere access.
    return null;
  }
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
