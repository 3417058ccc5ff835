import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { routeConsole } from './console-lines.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe(routeConsole.name, () => {
  it('turns console lines into JSON at their level, formatted as the console would', () => {
    const { logger, lines } = capture();
    const target = { debug: console.debug, log: console.log, info: console.info, warn: console.warn, error: console.error };
    routeConsole(logger, target, new EventEmitter() as unknown as NodeJS.Process);
    target.warn('oidc-provider WARNING: %s', 'Unsupported runtime.');
    target.info('notice', 42);
    target.log('plain');
    target.error(new Error('boom').message);
    target.debug('detail');
    expect(lines.map(({ level, msg, context }) => ({ level, msg, context }))).toEqual([
      { level: 40, msg: 'oidc-provider WARNING: Unsupported runtime.', context: 'console' },
      { level: 30, msg: 'notice 42', context: 'console' },
      { level: 30, msg: 'plain', context: 'console' },
      { level: 50, msg: 'boom', context: 'console' },
      { level: 20, msg: 'detail', context: 'console' },
    ]);
  });

  it("replaces Node's own printing of process warnings with a JSON line", () => {
    const { logger, lines } = capture();
    const owner = new EventEmitter();
    let printed = false;
    owner.on('warning', () => (printed = true));
    routeConsole(logger, { debug() {}, log() {}, info() {}, warn() {}, error() {} }, owner as unknown as NodeJS.Process);
    owner.emit('warning', Object.assign(new Error('The punycode module is deprecated.'), { name: 'DeprecationWarning' }));
    expect(printed).toBe(false);
    expect(lines).toEqual([expect.objectContaining({ level: 40, context: 'process', warning: 'DeprecationWarning', msg: 'The punycode module is deprecated.' })]);
  });
});
