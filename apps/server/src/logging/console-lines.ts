/**
 * With LOG_FORMAT=json, what libraries print on the console (oidc-provider's
 * notices and warnings, say) and Node's process warnings go through pino too,
 * at their level, so every line the process prints is JSON. Partner:
 * json-logging.ts.
 */
import { format } from 'node:util';
import type { LogFn } from 'pino';

/** The part of a pino logger used here. */
interface Lines {
  child(bindings: Record<string, unknown>): Record<'debug' | 'info' | 'warn' | 'error', LogFn>;
}

export function routeConsole(logger: Lines, target: Pick<Console, 'debug' | 'log' | 'info' | 'warn' | 'error'> = console, owner: NodeJS.Process = process): void {
  const lines = logger.child({ context: 'console' });
  const as =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) =>
      lines[level](format(...args));
  Object.assign(target, { debug: as('debug'), log: as('info'), info: as('info'), warn: as('warn'), error: as('error') });
  // Node prints process warnings through a listener of its own: it is replaced, not joined.
  owner.removeAllListeners('warning');
  const warnings = logger.child({ context: 'process' });
  owner.on('warning', (warning) => warnings.warn({ warning: warning.name }, warning.message));
}
