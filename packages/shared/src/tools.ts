/**
 * The contract between the MCP server and the widget: tool names, limits and the
 * `structuredContent` each tool returns. The server implements these shapes
 * (apps/server/src/tools), the widget reads them (apps/widget/src/bridge).
 */

/** Tool names. They are public: hosts and outside tests call them by these names. */
export const ToolName = {
  createSession: 'create-target-session',
  authenticate: 'authenticate-target',
  authStatus: 'get-target-auth-status',
  submitCredentials: 'submit-target-credentials',
  verifyCode: 'verify-target-code',
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

export const SESSION_EXPIRED_MESSAGE = 'Your session has expired. Please log in again.';
export const INVALID_SESSION_MESSAGE = 'Invalid session';
/** The one wording for a sign-in locked after too many wrong codes, wherever it is reported. */
export const SIGN_IN_LOCKED_MESSAGE = 'Too many wrong codes. This sign-in is locked: start a new sign-in.';

/** `create-target-session` result. */
export interface CreateSessionResult {
  sessionId: string;
  message: 'Session created';
  /** ISO 8601 time at which the pending sign-in expires. */
  expiresAt: string;
}

/** Where an unauthenticated session stands in the sign-in. */
export type PendingStep = 'credentials' | 'verify';

/** `authenticate-target` result: what the widget opens on. */
export type AuthenticateResult =
  | { sessionId: string; authenticated: false; step: PendingStep }
  | { sessionId: string; authenticated: true; name: string; email: string };

/** `get-target-auth-status` result. */
export type AuthStatusResult =
  | { authenticated: boolean; email: string | null; name: string | null }
  | { authenticated: false; expired: true }
  | { authenticated: false; locked: true };

/** `submit-target-credentials` success. */
export interface CredentialsAcceptedResult {
  step: 'verify';
}

/** `verify-target-code` success. */
export interface SignedInResult {
  authenticated: true;
  name: string;
  email: string;
}

/** Why a step was refused; the widget picks its screen from this. */
export type StepErrorCode =
  | 'invalid_input'
  | 'invalid_session'
  | 'expired'
  | 'wrong_step'
  | 'invalid_credentials'
  | 'wrong_code'
  | 'locked'
  | 'unavailable';

/** `structuredContent` of a refused step (the result also has `isError: true`). */
export interface StepErrorResult {
  error: StepErrorCode;
  message: string;
  /** Codes left before the sign-in locks (`wrong_code` only). */
  attemptsLeft?: number;
}
