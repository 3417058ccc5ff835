/** Small typed fakes for specs: a settable clock and a config built through the real loader. */
import { type AppConfig, loadConfig } from '../config/app-config.js';
import { Clock } from '../common/clock.js';

export class FakeClock extends Clock {
  constructor(private time = Date.UTC(2026, 10, 26, 12)) {
    super();
  }

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ LOG_LEVEL: 'error', ...env });
}
