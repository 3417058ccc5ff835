/** The message `loadConfig` refuses `env` with (a spec fails if it does not refuse). */
import { ConfigError, loadConfig } from '../config/app-config.js';

export function configRefusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
