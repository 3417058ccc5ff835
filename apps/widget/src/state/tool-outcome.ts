/**
 * Reads tool results (from the host or the HTTP API) into reducer events. The
 * shapes are the shared contract in @target-auth/shared/tools.
 */
import type {
  AuthenticateResult,
  CodeAcceptedResult,
  CodeSentResult,
  ProofOfWorkChallenge,
  StepErrorResult,
  UpstreamStartedResult,
} from '@target-auth/shared/tools';
import type { AuthEvent } from './auth-reducer';

/** The parts of an MCP `CallToolResult` the widget reads. */
export interface ToolResultLike {
  isError?: boolean;
  structuredContent?: unknown;
  content?: readonly { type: string; text?: string }[];
}

export const NETWORK_FAILURE = "Couldn't reach Target. Check your connection and try again.";

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function textOf(result: ToolResultLike): string {
  return (result.content ?? []).map((item) => (item.type === 'text' ? (item.text ?? '') : '')).join(' ').trim();
}

const isStepError = (content: unknown): content is StepErrorResult =>
  isObject(content) && typeof content['error'] === 'string' && typeof content['message'] === 'string';

function stepError(result: ToolResultLike): StepErrorResult {
  if (isStepError(result.structuredContent)) return result.structuredContent;
  return { error: 'unavailable', message: textOf(result) || 'Something went wrong. Try again.' };
}

/** Event for a refused step; `fallback` is used for errors that keep the user on the screen. */
function refusal<T extends AuthEvent | undefined = AuthEvent>(error: StepErrorResult, fallback: (message: string) => T): AuthEvent | T {
  switch (error.error) {
    case 'expired':
    case 'invalid_session':
      return { type: 'session_ended', message: error.message };
    case 'locked':
      return { type: 'sign_in_locked', message: error.message };
    default:
      return fallback(error.message);
  }
}

/** A code-step answer; an older server's bare `{ step: 'verify' }` reads as a sign-in code sent somewhere unnamed. */
function codeSent(content: unknown): CodeSentResult | undefined {
  if (!isObject(content) || content['step'] !== 'verify') return undefined;
  return {
    step: 'verify',
    purpose: content['purpose'] === 'reset' || content['purpose'] === 'link' ? content['purpose'] : 'sign-in',
    delivery: isObject(content['delivery']) ? (content['delivery'] as CodeSentResult['delivery']) : { method: 'demo' },
  };
}

/**
 * The widget's initial data: an `authenticate-target` result. ChatGPT's
 * `toolOutput` carries only `structuredContent`, so a refusal is also
 * recognised by its shape.
 */
export function shownEvent(result: ToolResultLike, sessionId?: string, at = Date.now()): AuthEvent {
  if (result.isError || isStepError(result.structuredContent)) return refusal(stepError(result), (message) => ({ type: 'load_failed', message, sessionId }));
  const content = result.structuredContent;
  if (isObject(content) && typeof content['sessionId'] === 'string' && typeof content['authenticated'] === 'boolean') {
    return { type: 'session_shown', result: content as unknown as AuthenticateResult, at };
  }
  return { type: 'load_failed', message: 'The sign-in could not start. Ask the assistant to try again.', sessionId };
}

/** `challenge_required` carries a challenge to solve before resubmitting. */
export function challengeOf(result: ToolResultLike): ProofOfWorkChallenge | undefined {
  const content = result.structuredContent;
  if (!result.isError || !isStepError(content) || content.error !== 'challenge_required') return undefined;
  return isObject(content.challenge) ? content.challenge : undefined;
}

/** After credentials (or a reset request): the code step, or why not. */
export function codeSentEvent(result: ToolResultLike, fallback: (message: string) => AuthEvent, at = Date.now()): AuthEvent {
  const sent = result.isError ? undefined : codeSent(result.structuredContent);
  return sent ? { type: 'code_sent', result: sent, at } : refusal(stepError(result), fallback);
}

export function credentialsEvent(result: ToolResultLike, at = Date.now()): AuthEvent {
  return codeSentEvent(result, (message) => ({ type: 'credentials_rejected', message }), at);
}

export function resetEvent(result: ToolResultLike, at = Date.now()): AuthEvent {
  return codeSentEvent(result, (message) => ({ type: 'reset_rejected', message }), at);
}

export function resendEvent(result: ToolResultLike, at = Date.now()): AuthEvent {
  const sent = result.isError ? undefined : codeSent(result.structuredContent);
  return sent ? { type: 'code_resent', result: sent, at } : refusal(stepError(result), (message) => ({ type: 'resend_refused', message }));
}

/** A signed-in result, or the next step (profile, new password). */
function acceptedEvent(content: unknown): AuthEvent | undefined {
  if (!isObject(content)) return undefined;
  const accepted = content as unknown as CodeAcceptedResult;
  if (accepted.authenticated === true) {
    return { type: 'code_accepted', name: accepted.name, email: accepted.email, ...(accepted.profile ? { profile: accepted.profile } : {}) };
  }
  if (accepted.authenticated === false && accepted.step === 'profile') return { type: 'profile_required', profiles: accepted.profiles };
  if (accepted.authenticated === false && accepted.step === 'new-password') return { type: 'new_password_required' };
  if (accepted.authenticated === false && accepted.step === 'verify') return { type: 'authenticator_required', purpose: accepted.purpose === 'link' ? 'link' : 'reset' };
  return undefined;
}

export function codeEvent(result: ToolResultLike): AuthEvent {
  if (!result.isError) {
    const accepted = acceptedEvent(result.structuredContent);
    if (accepted) return accepted;
  }
  const error = stepError(result);
  if (error.error === 'wrong_code' || error.error === 'code_expired' || error.error === 'rate_limited') {
    return { type: 'code_rejected', message: error.message, attemptsLeft: error.attemptsLeft };
  }
  return refusal(error, (message) => ({ type: 'request_failed', message }));
}

export function passwordEvent(result: ToolResultLike): AuthEvent {
  if (!result.isError) {
    const accepted = acceptedEvent(result.structuredContent);
    if (accepted) return accepted;
  }
  return refusal(stepError(result), (message) => ({ type: 'password_rejected', message }));
}

export function profileEvent(result: ToolResultLike): AuthEvent {
  if (!result.isError) {
    const accepted = acceptedEvent(result.structuredContent);
    if (accepted) return accepted;
  }
  return refusal(stepError(result), (message) => ({ type: 'profile_rejected', message }));
}

/** A started upstream sign-in (its link and code), or the event for its refusal. */
export function upstreamStarted(result: ToolResultLike): UpstreamStartedResult | AuthEvent {
  const content = result.structuredContent;
  if (!result.isError && isObject(content) && content['step'] === 'upstream' && typeof content['url'] === 'string' && typeof content['code'] === 'string' && isObject(content['provider'])) {
    return content as unknown as UpstreamStartedResult;
  }
  return refusal(stepError(result), (message) => ({ type: 'credentials_rejected', message }));
}

/** A poll of an upstream sign-in (or its cancel): where the session now stands, or why it cannot go on; undefined for a passing failure (the next poll tries again). */
export function upstreamCheckedEvent(result: ToolResultLike, kind: 'upstream_checked' | 'upstream_cancelled', at = Date.now()): AuthEvent | undefined {
  const content = result.structuredContent;
  if (!result.isError && isObject(content) && typeof content['sessionId'] === 'string' && typeof content['authenticated'] === 'boolean') {
    return { type: kind, result: content as unknown as AuthenticateResult, at };
  }
  // A session over or locked ends the wait; another failure ends a cancel, and only delays a poll.
  return refusal<AuthEvent | undefined>(stepError(result), (message) => (kind === 'upstream_cancelled' ? { type: 'request_failed', message } : undefined));
}
