/**
 * The widget's state machine: one `WidgetScreen` value, moved only by events.
 * Pure; side effects live in App.tsx. Events that do not apply to the current
 * screen are ignored (a late or repeated host message must not undo progress);
 * an unknown event is a programming error and throws.
 */
import type { AuthenticateResult } from '@target-auth/shared/tools';
import type { WidgetScreen } from '@target-auth/shared/widget-state';

export type AuthEvent =
  | { type: 'session_shown'; result: AuthenticateResult }
  | { type: 'load_failed'; message: string; sessionId?: string }
  | { type: 'retry_requested' }
  | { type: 'credentials_submitted' }
  | { type: 'credentials_accepted' }
  | { type: 'credentials_rejected'; message: string }
  | { type: 'code_submitted' }
  | { type: 'code_accepted'; name: string; email: string }
  | { type: 'code_rejected'; message: string; attemptsLeft?: number }
  | { type: 'sign_in_locked'; message: string }
  | { type: 'session_ended'; message: string }
  | { type: 'request_failed'; message: string };

export const initialScreen: WidgetScreen = { screen: 'loading' };

export function authReducer(state: WidgetScreen, event: AuthEvent): WidgetScreen {
  switch (event.type) {
    case 'session_shown':
      if (state.screen !== 'loading' && state.screen !== 'error') return state;
      return fromResult(event.result);
    case 'load_failed':
      if (state.screen !== 'loading') return state;
      return { screen: 'error', message: event.message, ...(event.sessionId ? { sessionId: event.sessionId } : {}) };
    case 'retry_requested':
      return state.screen === 'error' ? { screen: 'loading' } : state;
    case 'credentials_submitted':
      if (state.screen !== 'credentials' || state.submitting) return state;
      return { screen: 'credentials', sessionId: state.sessionId, submitting: true };
    case 'credentials_accepted':
      if (state.screen !== 'credentials') return state;
      return { screen: 'verifying', sessionId: state.sessionId, submitting: false, locked: false };
    case 'credentials_rejected':
      if (state.screen !== 'credentials') return state;
      return { ...state, submitting: false, error: event.message };
    case 'code_submitted':
      if (state.screen !== 'verifying' || state.submitting || state.locked) return state;
      return { ...state, submitting: true, error: undefined };
    case 'code_accepted':
      if (state.screen !== 'verifying') return state;
      return { screen: 'success', name: event.name, email: event.email };
    case 'code_rejected':
      if (state.screen !== 'verifying') return state;
      return { ...state, submitting: false, error: event.message, attemptsLeft: event.attemptsLeft };
    case 'sign_in_locked':
      if (state.screen !== 'verifying' && state.screen !== 'credentials' && state.screen !== 'loading') return state;
      return { screen: 'verifying', sessionId: 'sessionId' in state ? state.sessionId : '', submitting: false, locked: true, error: event.message, attemptsLeft: 0 };
    case 'session_ended':
      if (state.screen === 'success') return state;
      return { screen: 'expired', message: event.message };
    case 'request_failed':
      if (state.screen !== 'credentials' && state.screen !== 'verifying') return state;
      return { ...state, submitting: false, error: event.message };
    default:
      throw new Error(`Unknown widget event: ${JSON.stringify(event satisfies never)}`);
  }
}

function fromResult(result: AuthenticateResult): WidgetScreen {
  if (result.authenticated) return { screen: 'success', name: result.name, email: result.email };
  if (result.step === 'verify') return { screen: 'verifying', sessionId: result.sessionId, submitting: false, locked: false };
  return { screen: 'credentials', sessionId: result.sessionId, submitting: false };
}
