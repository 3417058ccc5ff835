/** A SessionService wired from parts, as session.module.ts wires it, for specs that choose each part. */
import type { AccountDirectory } from '../accounts/account-directory.js';
import type { OneTimeCodes } from '../accounts/one-time-codes.js';
import type { ProofOfWork } from '../accounts/proof-of-work.js';
import { KeyRing } from '../accounts/secret-key.js';
import type { SignInLimits } from '../accounts/sign-in-limits.js';
import type { Clock } from '../common/clock.js';
import type { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { CodeSender } from '../session/code-sender.js';
import { CodeStep } from '../session/code.step.js';
import { CredentialsStep } from '../session/credentials.step.js';
import { HandOver } from '../session/hand-over.js';
import { PasskeyStep } from '../session/passkey.step.js';
import { PasswordAttempts } from '../session/password-attempts.js';
import { ProfileStep } from '../session/profile.step.js';
import { RecoveryStep } from '../session/recovery.step.js';
import { SessionAccess } from '../session/session-access.js';
import { SessionService, SessionSteps } from '../session/session.service.js';
import type { SessionStore } from '../session/session.store.js';
import { SignInCompletion } from '../session/sign-in-completion.js';
import { UpstreamStep } from '../session/upstream.step.js';
import { UpstreamHandOffStep } from '../session/upstream-hand-off.js';

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
  return sessionUnits(parts).service;
}

/** The service, the upstream step, a chat's hand-off to it and the passkey step, over the same parts. */
export function sessionUnits(parts: SessionParts): { service: SessionService; upstream: UpstreamStep; handOff: UpstreamHandOffStep; passkey: PasskeyStep } {
  const { store, clock, config, directory, codes, limits, proofOfWork } = parts;
  const metrics = parts.metrics ?? new MetricsService();
  const keys = parts.keys ?? new KeyRing(Buffer.alloc(32, 3));
  const sessions = new SessionAccess(store, clock, directory, keys);
  const completion = new SignInCompletion(sessions, directory, config);
  const sender = new CodeSender(sessions, codes, limits, config);
  const steps = new SessionSteps(
    new CredentialsStep(sessions, directory, new PasswordAttempts(directory, limits, proofOfWork), sender),
    new CodeStep(sessions, directory, codes, limits, completion, config, metrics),
    sender,
    new RecoveryStep(sessions, directory, sender, completion),
    new ProfileStep(sessions, directory, completion),
    new HandOver(sessions),
  );
  return {
    service: new SessionService(store, sessions, steps, config, directory, codes, metrics),
    upstream: new UpstreamStep(sessions, directory, sender, completion, keys, config),
    handOff: new UpstreamHandOffStep(sessions, keys),
    passkey: new PasskeyStep(sessions, directory, completion, keys),
  };
}
