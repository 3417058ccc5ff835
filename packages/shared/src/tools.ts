/**
 * The contract between the MCP server and the widget: tool names, limits and the
 * `structuredContent` each tool returns. The server implements these shapes
 * (apps/server/src/tools), the widget reads them (apps/widget/src/bridge).
 */
import type { UpstreamButton } from './linking.js';

/** Tool names. They are public: hosts and outside tests call them by these names. */
export const ToolName = {
  createSession: 'create-target-session',
  authenticate: 'authenticate-target',
  authStatus: 'get-target-auth-status',
  submitCredentials: 'submit-target-credentials',
  verifyCode: 'verify-target-code',
  resendCode: 'resend-target-code',
  startPasswordReset: 'reset-target-password',
  setPassword: 'set-target-password',
  selectProfile: 'select-target-profile',
  account: 'get-target-account',
  startUpstream: 'start-target-upstream',
  checkUpstream: 'check-target-upstream',
} as const;
export type ToolName = (typeof ToolName)[keyof typeof ToolName];

/** `sess_` followed by base64url of 18 random bytes (144 bits). */
export const SESSION_ID_PATTERN = /^sess_[A-Za-z0-9_-]{24}$/;
export const CODE_LENGTH = 6;
export const CODE_PATTERN = /^[0-9]{6}$/;
/** Wrong codes allowed before a sign-in is locked. */
export const MAX_CODE_ATTEMPTS = 5;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_PASSWORD_LENGTH = 1024;
/** A new password's bounds (NIST SP 800-63B: no composition rules). */
export const MIN_NEW_PASSWORD_LENGTH = 8;
export const MAX_NEW_PASSWORD_LENGTH = 128;
/** Seconds before the code screen may ask for another code. */
export const RESEND_COOLDOWN_SECONDS = 30;
/**
 * A browser's device secret: 32 random bytes in base64url, made and kept by
 * the browser (the widget's storage) and sent with credentials and reset
 * requests. A browser that signed in to an account before is never slowed or
 * refused because of strangers' failed passwords (docs/security.md).
 */
export const DEVICE_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const SESSION_EXPIRED_MESSAGE = 'Your session has expired. Please sign in again.';
export const INVALID_SESSION_MESSAGE = 'Invalid session';
/** The words for a refusal because a store (Redis, the database) did not answer. */
export const UNAVAILABLE_MESSAGE = 'Sign-in is temporarily unavailable. Try again in a moment.';
/** The one wording for a sign-in locked after too many wrong codes, wherever it is reported. */
export const SIGN_IN_LOCKED_MESSAGE = 'Too many wrong codes. This sign-in is locked: start a new sign-in.';

/** `create-target-session` result. */
export interface CreateSessionResult {
  sessionId: string;
  message: 'Session created';
  /** ISO 8601 time at which the pending sign-in expires. */
  expiresAt: string;
}

/**
 * Where an unauthenticated session stands: credentials, the code, choosing a
 * profile (a household account), a new password (after "Forgot password?"),
 * or away at an upstream provider (Google, Microsoft, …) in another tab.
 */
export type PendingStep = 'credentials' | 'verify' | 'profile' | 'new-password' | 'upstream';

/**
 * Why the session is at the code step: signing in, resetting the password, or
 * proving the account that has an upstream identity's e-mail before linking it.
 */
export type CodePurpose = 'sign-in' | 'reset' | 'link';

/**
 * How the code reaches the person: mailed (to a masked address such as
 * `l•••@example.com`), from their authenticator app, or nowhere (demo mode).
 */
export type CodeDelivery = { method: 'email'; sentTo: string } | { method: 'totp' } | { method: 'demo' };

/** One person of a household account, for the profile picker. */
export interface ProfileChoice {
  id: string;
  name: string;
}

/** `authenticate-target` result: what the widget opens on. */
export type AuthenticateResult =
  | {
      sessionId: string;
      authenticated: false;
      step: PendingStep;
      /** At the code step: why, and where the code went. */
      purpose?: CodePurpose;
      delivery?: CodeDelivery;
      /** At the profile step: whom to choose from. */
      profiles?: ProfileChoice[];
      /** The upstream providers offered besides the password ("Continue with Google"), when there are any. */
      providers?: UpstreamButton[];
    }
  | { sessionId: string; authenticated: true; name: string; email: string; profile?: string };

/**
 * `start-target-upstream` result: the start link the host opens in the
 * person's browser, and the code that page asks for (so a link someone else
 * sends cannot sign their chat in as you). Both work once, until `expiresAt`.
 */
export interface UpstreamStartedResult {
  step: 'upstream';
  provider: UpstreamButton;
  url: string;
  /** Eight letters, shown as `BCDF-GHJK`. */
  code: string;
  /** ISO 8601. */
  expiresAt: string;
}

/** `get-target-auth-status` result; `profile` is the chosen profile's name (real accounts). */
export type AuthStatusResult =
  | { authenticated: boolean; email: string | null; name: string | null; profile?: string }
  | { authenticated: false; expired: true }
  | { authenticated: false; locked: true };

/** `submit-target-credentials` and `reset-target-password` success: the code step, and where the code went. */
export interface CodeSentResult {
  step: 'verify';
  purpose: CodePurpose;
  delivery: CodeDelivery;
}
export type CredentialsAcceptedResult = CodeSentResult;

/** `verify-target-code`, `set-target-password` and `select-target-profile` success. */
export interface SignedInResult {
  authenticated: true;
  name: string;
  email: string;
  /** The chosen profile's name (real accounts). */
  profile?: string;
}

/**
 * `verify-target-code` when one more step is due: a profile to choose, a new
 * password (resetting), or, resetting an account that has an authenticator
 * app, that app's code after the mailed one (a reset, and linking an upstream
 * identity to an account, ask for every factor).
 */
export type NextStepResult =
  | { authenticated: false; step: 'profile'; profiles: ProfileChoice[] }
  | { authenticated: false; step: 'new-password' }
  | { authenticated: false; step: 'verify'; purpose: 'reset' | 'link'; delivery: { method: 'totp' } };

/** Everything `verify-target-code`, `set-target-password` and `select-target-profile` may answer. */
export type CodeAcceptedResult = SignedInResult | NextStepResult;

/** Why a step was refused; the widget picks its screen from this. */
export type StepErrorCode =
  | 'invalid_input'
  | 'invalid_session'
  | 'expired'
  | 'wrong_step'
  | 'invalid_credentials'
  | 'wrong_code'
  | 'locked'
  | 'code_expired'
  | 'weak_password'
  | 'rate_limited'
  | 'challenge_required'
  | 'unavailable';

/** An ALTCHA proof-of-work challenge, as the server sends it (https://altcha.org). */
export interface ProofOfWorkChallenge {
  parameters: Record<string, unknown>;
  signature?: string;
}

/** `structuredContent` of a refused step (the result also has `isError: true`). */
export interface StepErrorResult {
  error: StepErrorCode;
  message: string;
  /** Codes left before the sign-in locks (`wrong_code` only). */
  attemptsLeft?: number;
  /** When to try again (`rate_limited` only). */
  retryAfterSeconds?: number;
  /** To solve and send back as `altcha` with the credentials (`challenge_required` only). */
  challenge?: ProofOfWorkChallenge;
}
