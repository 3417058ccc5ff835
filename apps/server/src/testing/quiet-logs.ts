/**
 * Jest setup: Nest's default logger prints nothing in specs (a passing run is
 * quiet); specs that expect a log line spy on it (logs.ts), and an app booted
 * in a spec installs its own logger at its LOG_LEVEL (error unless the spec
 * says otherwise). TEST_LOGS=1 lets everything through when debugging.
 */
import { Logger } from '@nestjs/common';

if (process.env['TEST_LOGS'] !== '1') Logger.overrideLogger(false);
