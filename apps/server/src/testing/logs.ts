/** Captures what Nest's loggers say at one level, silencing it (undone by `jest.restoreAllMocks()`). */
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';

/** Spies on `level`; the returned function lists each line logged since, as "context: message". */
export function spyLogs(level: 'log' | 'warn' | 'error' | 'debug'): () => string[] {
  const spy = jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
  return () => spy.mock.calls.map((call, i) => `${(spy.mock.contexts[i] as { context?: string }).context}: ${String(call[0])}`);
}

/**
 * Captures what the process writes to stdout and stderr (an app booted in a
 * spec logs there), appending each chunk to `written`; shown as well only
 * with TEST_LOGS=1, so a passing run stays quiet. Undone by `jest.restoreAllMocks()`.
 */
export function captureOutput(written: string[]): void {
  const show = process.env['TEST_LOGS'] === '1';
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return show ? original(chunk, ...rest) : true;
    });
  }
}
