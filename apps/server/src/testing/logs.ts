/** Captures what Nest's loggers say at one level, silencing it (undone by `jest.restoreAllMocks()`). */
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';

/** Spies on `level`; the returned function lists each line logged since, as "context: message". */
export function spyLogs(level: 'log' | 'warn' | 'error' | 'debug'): () => string[] {
  const spy = jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
  return () => spy.mock.calls.map((call, i) => `${(spy.mock.contexts[i] as { context?: string }).context}: ${String(call[0])}`);
}
