/**
 * Reads tool results (from the host or the HTTP API) into reducer events. The
 * shapes are the shared contract in @target-auth/shared/tools.
 */
import type { AuthenticateResult, SignedInResult, StepErrorResult } from '@target-auth/shared/tools';
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
function refusal(error: StepErrorResult, fallback: (message: string) => AuthEvent): AuthEvent {
  switch (error.error) {
    case 'expired':
    case 'invalid_session':
      return { type: 'session_ended', message: error.message };
    case 'locked':
      return { type: 'sign_in_locked', message: error.message };
    case 'wrong_code':
      return { type: 'code_rejected', message: error.message, attemptsLeft: error.attemptsLeft };
    default:
      return fallback(error.message);
  }
}

/**
 * The widget's initial data: an `authenticate-target` result. ChatGPT's
 * `toolOutput` carries only `structuredContent`, so a refusal is also
 * recognised by its shape.
 */
export function shownEvent(result: ToolResultLike, sessionId?: string): AuthEvent {
  if (result.isError || isStepError(result.structuredContent)) return refusal(stepError(result), (message) => ({ type: 'load_failed', message, sessionId }));
  const content = result.structuredContent;
  if (isObject(content) && typeof content['sessionId'] === 'string' && typeof content['authenticated'] === 'boolean') {
    return { type: 'session_shown', result: content as unknown as AuthenticateResult };
  }
  return { type: 'load_failed', message: 'The sign-in could not start. Ask the assistant to try again.', sessionId };
}

export function credentialsEvent(result: ToolResultLike): AuthEvent {
  if (!result.isError) return { type: 'credentials_accepted' };
  return refusal(stepError(result), (message) => ({ type: 'credentials_rejected', message }));
}

export function codeEvent(result: ToolResultLike): AuthEvent {
  if (!result.isError) {
    const content = result.structuredContent as SignedInResult | undefined;
    if (content?.authenticated) return { type: 'code_accepted', name: content.name, email: content.email };
  }
  return refusal(stepError(result), (message) => ({ type: 'request_failed', message }));
}
