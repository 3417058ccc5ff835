/**
 * Nest's console logger, quieter: the framework's boot chatter (modules
 * initialised, every route mapped) moves to the debug level, and colours are
 * used only on a terminal. app.ts installs it.
 */
import { ConsoleLogger, type LogLevel } from '@nestjs/common';

const BOOT_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);
const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export class AppLogger extends ConsoleLogger {
  constructor(level: Exclude<LogLevel, 'fatal'>) {
    super({ logLevels: LEVELS.slice(0, LEVELS.indexOf(level) + 1), colors: process.stdout.isTTY === true });
  }

  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (typeof context === 'string' && BOOT_CONTEXTS.has(context)) this.debug(message, ...rest);
    else super.log(message, ...rest);
  }
}
