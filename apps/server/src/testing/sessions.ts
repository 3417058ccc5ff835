/** A SessionService wired from parts, as session.module.ts wires it, for specs that choose each part. */
import type { AccountDirectory } from '../accounts/account-directory.js';
import type { OneTimeCodes } from '../accounts/one-time-codes.js';
import type { ProofOfWork } from '../accounts/proof-of-work.js';
import { KeyRing } from '../accounts/secret-key.js';
import type { SignInLimits } from '../accounts/sign-in-limits.js';
import type { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { Clock } from '../common/clock.js';
import { PasswordAttempts } from '../session/password-attempts.js';
import { SessionService } from '../session/session.service.js';
import type { SessionStore } from '../session/session.store.js';

export interface SessionParts {
  store: SessionStore;
  clock: Clock;
  config: AppConfig;
  directory: AccountDirectory;
  codes: OneTimeCodes;
  limits: SignInLimits;
  proofOfWork: ProofOfWork;
  keys?: KeyRing;
  metrics?: MetricsService;
}

export function sessionService(parts: SessionParts): SessionService {
  const { store, clock, config, directory, codes, limits, proofOfWork } = parts;
  const keys = parts.keys ?? new KeyRing(Buffer.alloc(32, 3));
  return new SessionService(store, clock, config, directory, codes, limits, new PasswordAttempts(directory, limits, proofOfWork), keys, parts.metrics ?? new MetricsService());
}
