/**
 * Nest's console logger, quieter: the framework's boot chatter (modules
 * initialised, every route mapped) moves to the debug level, a failure while
 * booting is left to the caller (main.ts says it in one line; Nest would log
 * it with its stack first), and colours are used only on a terminal. app.ts
 * installs it.
 */
import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/** Where Nest's boot chatter comes from: logged at the debug level only. */
export const BOOT_CONTEXTS: ReadonlySet<string> = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);
/** Nest's boot-time handler logs what it then throws to createApp's caller, who says it once. */
export const BOOT_FAILURE_CONTEXT = 'ExceptionHandler';
const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export class AppLogger extends ConsoleLogger {
  constructor(level: Exclude<LogLevel, 'fatal'>) {
    super({ logLevels: LEVELS.slice(0, LEVELS.indexOf(level) + 1), colors: process.stdout.isTTY === true });
  }

  override error(message: unknown, ...rest: unknown[]): void {
    if (rest.at(-1) === BOOT_FAILURE_CONTEXT) return;
    super.error(message, ...rest);
  }

  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (typeof context === 'string' && BOOT_CONTEXTS.has(context)) this.debug(message, ...rest);
    else super.log(message, ...rest);
  }
}
