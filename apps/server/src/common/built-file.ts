/**
 * A file another process builds (apps/widget): read at start, and read again
 * shortly after each change while the server runs, so `pnpm dev`'s rebuilds are
 * served at once. The folder is watched, not the file: a build that empties
 * dist/ first replaces the file's inode.
 */
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

const SETTLE_MS = 100;

export class BuiltFile<T> {
  private current: T;
  private readonly watcher: FSWatcher | undefined;
  private settle: NodeJS.Timeout | undefined;

  /**
   * `parse` turns the file's text into what is served (undefined: keep the
   * last good one); `changed` hears of each new value. Throws `missing` when
   * there is nothing to serve at start.
   */
  constructor(
    private readonly path: string,
    private readonly parse: (text: string) => T | undefined,
    missing: string,
    private readonly changed: (value: T) => void = () => undefined,
  ) {
    const first = this.read();
    if (first === undefined) throw new Error(`${missing} not found at ${path}: build it first (pnpm build)`);
    this.current = first;
    const file = basename(path);
    try {
      this.watcher = watch(dirname(path), (_event, name) => {
        if (name !== null && name !== file) return;
        clearTimeout(this.settle);
        this.settle = setTimeout(() => this.reload(), SETTLE_MS);
      });
      this.watcher.unref();
    } catch {
      this.watcher = undefined;
    }
  }

  get value(): T {
    return this.current;
  }

  /** Reads the file again now; a parsed value replaces the served one. */
  reload(): void {
    const next = this.read();
    if (next === undefined) return;
    this.current = next;
    this.changed(next);
  }

  close(): void {
    clearTimeout(this.settle);
    this.watcher?.close();
  }

  private read(): T | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return undefined;
    }
    return text.length === 0 ? undefined : this.parse(text);
  }
}
