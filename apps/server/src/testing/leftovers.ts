/**
 * What a spec opened (an app, a database, an SMTP or Redis server) and has not
 * closed yet. A test that fails skips its own close; closing what is left
 * after each spec file (closing-after-file.ts) keeps Jest able to exit.
 */
import { settle } from './teardown.js';

const open = new Set<() => Promise<unknown>>();

/** Remembers `close` until it runs; the returned close runs it once, however often it is called. */
export function closeLater(close: () => Promise<unknown>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  const once = () => {
    open.delete(once);
    return (closing ??= close().then(() => undefined));
  };
  open.add(once);
  return once;
}

/** Closes whatever is still open, every one even if another fails. */
export function closeLeftovers(): Promise<void> {
  return settle(...[...open].reverse());
}
