/**
 * The widget's state machine: one `WidgetScreen` value, moved only by events.
 * Pure; side effects live in App.tsx. Events that do not apply to the current
 * screen are ignored (a late or repeated host message must not undo progress);
 * an unknown event is a programming error and throws.
 */
import {
  type AuthenticateResult,
  type CodeSentResult,
  type ProfileChoice,
  RESEND_COOLDOWN_SECONDS,
  type UpstreamStartedResult,
} from '@target-auth/shared/tools';
import type { WidgetScreen } from './widget-screen';

export type AuthEvent =
  | { type: 'session_shown'; result: AuthenticateResult; at: number }
  | { type: 'load_failed'; message: string; sessionId?: string }
  | { type: 'retry_requested' }
  | { type: 'credentials_submitted' }
  | { type: 'challenge_required' }
  | { type: 'code_sent'; result: CodeSentResult; at: number }
  | { type: 'credentials_rejected'; message: string }
  | { type: 'forgot_opened' }
  | { type: 'forgot_closed' }
  | { type: 'reset_submitted' }
  | { type: 'reset_rejected'; message: string }
  | { type: 'code_submitted' }
  | { type: 'code_accepted'; name: string; email: string; profile?: string }
  | { type: 'code_rejected'; message: string; attemptsLeft?: number }
  | { type: 'resend_submitted' }
  | { type: 'code_resent'; result: CodeSentResult; at: number }
  | { type: 'resend_refused'; message: string }
  | { type: 'authenticator_required'; purpose: 'reset' | 'link' }
  | { type: 'new_password_required' }
  | { type: 'password_submitted' }
  | { type: 'password_rejected'; message: string }
  | { type: 'profile_required'; profiles: ProfileChoice[] }
  | { type: 'profile_submitted' }
  | { type: 'profile_rejected'; message: string }
  | { type: 'upstream_submitted' }
  | { type: 'upstream_started'; result: UpstreamStartedResult; opened: boolean }
  | { type: 'upstream_checked'; result: AuthenticateResult; at: number }
  | { type: 'upstream_cancel_submitted' }
  | { type: 'upstream_cancelled'; result: AuthenticateResult; at: number }
  | { type: 'sign_in_locked'; message: string }
  | { type: 'session_ended'; message: string }
  | { type: 'request_failed'; message: string };

export const initialScreen: WidgetScreen = { screen: 'loading' };

export function authReducer(state: WidgetScreen, event: AuthEvent): WidgetScreen {
  switch (event.type) {
    case 'session_shown':
      if (state.screen !== 'loading' && state.screen !== 'error') return state;
      return fromResult(event.result, event.at);
    case 'load_failed':
      if (state.screen !== 'loading') return state;
      return { screen: 'error', message: event.message, ...(event.sessionId ? { sessionId: event.sessionId } : {}) };
    case 'retry_requested':
      return state.screen === 'error' ? { screen: 'loading' } : state;
    case 'credentials_submitted':
      if (state.screen !== 'credentials' || state.submitting) return state;
      return { screen: 'credentials', sessionId: state.sessionId, submitting: true };
    case 'challenge_required':
      if (state.screen !== 'credentials' || !state.submitting) return state;
      return { ...state, checking: true };
    case 'code_sent':
      if (state.screen !== 'credentials' && state.screen !== 'forgot') return state;
      return verifying(state.sessionId, event.result, event.at);
    case 'credentials_rejected':
      if (state.screen !== 'credentials') return state;
      return { screen: 'credentials', sessionId: state.sessionId, submitting: false, error: event.message };
    case 'forgot_opened':
      if (state.screen !== 'credentials' || state.submitting) return state;
      return { screen: 'forgot', sessionId: state.sessionId, submitting: false };
    case 'forgot_closed':
      if (state.screen !== 'forgot' || state.submitting) return state;
      return { screen: 'credentials', sessionId: state.sessionId, submitting: false };
    case 'reset_submitted':
      if (state.screen !== 'forgot' || state.submitting) return state;
      return { screen: 'forgot', sessionId: state.sessionId, submitting: true };
    case 'reset_rejected':
      if (state.screen !== 'forgot') return state;
      return { ...state, submitting: false, error: event.message };
    case 'code_submitted':
      if (state.screen !== 'verifying' || state.submitting) return state;
      return { ...state, submitting: true, error: undefined, retryable: false, notice: undefined };
    case 'code_accepted':
      if (state.screen !== 'verifying' && state.screen !== 'new-password' && state.screen !== 'profile') return state;
      return { screen: 'success', name: event.name, email: event.email, ...(event.profile ? { profile: event.profile } : {}) };
    case 'code_rejected':
      if (state.screen !== 'verifying') return state;
      return {
        ...state,
        submitting: false,
        error: event.message,
        attemptsLeft: event.attemptsLeft ?? state.attemptsLeft,
        retryable: false,
        round: (state.round ?? 0) + 1,
      };
    case 'resend_submitted':
      if (state.screen !== 'verifying' || state.submitting || state.resending) return state;
      return { ...state, resending: true, notice: undefined };
    case 'code_resent':
      if (state.screen !== 'verifying') return state;
      return {
        ...state,
        resending: false,
        delivery: event.result.delivery,
        resendAt: event.at + RESEND_COOLDOWN_SECONDS * 1000,
        notice: 'We sent you a new code.',
        error: undefined,
        retryable: false,
        round: (state.round ?? 0) + 1,
      };
    case 'resend_refused':
      if (state.screen !== 'verifying') return state;
      return { ...state, resending: false, error: event.message, retryable: false };
    case 'authenticator_required':
      // A reset's (or a link's) mailed code was right; the account's authenticator app must confirm it too.
      if (state.screen !== 'verifying') return state;
      return {
        screen: 'verifying',
        sessionId: state.sessionId,
        submitting: false,
        purpose: event.purpose,
        delivery: { method: 'totp' },
        notice: 'Email confirmed. Now the code from your authenticator app.',
        round: (state.round ?? 0) + 1,
      };
    case 'new_password_required':
      if (state.screen !== 'verifying') return state;
      return { screen: 'new-password', sessionId: state.sessionId, submitting: false };
    case 'password_submitted':
      if (state.screen !== 'new-password' || state.submitting) return state;
      return { screen: 'new-password', sessionId: state.sessionId, submitting: true };
    case 'password_rejected':
      if (state.screen !== 'new-password') return state;
      return { ...state, submitting: false, error: event.message };
    case 'profile_required':
      if (state.screen !== 'verifying' && state.screen !== 'new-password') return state;
      return { screen: 'profile', sessionId: state.sessionId, submitting: false, profiles: event.profiles };
    case 'profile_submitted':
      if (state.screen !== 'profile' || state.submitting) return state;
      return { ...state, submitting: true, error: undefined };
    case 'profile_rejected':
      if (state.screen !== 'profile') return state;
      return { ...state, submitting: false, error: event.message };
    case 'upstream_submitted':
      if (state.screen !== 'credentials' || state.submitting) return state;
      return { screen: 'credentials', sessionId: state.sessionId, submitting: true };
    case 'upstream_started': {
      if (state.screen !== 'credentials' || !state.submitting) return state;
      const { provider, code, url } = event.result;
      return { screen: 'upstream', sessionId: state.sessionId, provider, code, url, opened: event.opened, cancelling: false };
    }
    case 'upstream_checked': {
      if (state.screen !== 'upstream' || state.cancelling) return state;
      const { result } = event;
      if (!result.authenticated && result.step === 'upstream') return state;
      if (!result.authenticated && result.step === 'credentials') {
        // The tab failed or gave up: it said why; the chat offers both ways again.
        const how = state.provider ? `with ${state.provider.name} ` : '';
        return { screen: 'credentials', sessionId: state.sessionId, submitting: false, error: `Signing in ${how}didn't finish. Try again, or use your password.` };
      }
      return fromResult(result, event.at);
    }
    case 'upstream_cancel_submitted':
      if (state.screen !== 'upstream' || state.cancelling) return state;
      return { ...state, cancelling: true };
    case 'upstream_cancelled':
      if (state.screen !== 'upstream') return state;
      // Finished in the tab just before the cancel arrived: that stands.
      if (event.result.authenticated || event.result.step !== 'credentials') return fromResult(event.result, event.at);
      return { screen: 'credentials', sessionId: state.sessionId, submitting: false };
    case 'sign_in_locked':
      if (state.screen !== 'verifying' && state.screen !== 'credentials' && state.screen !== 'loading' && state.screen !== 'upstream') return state;
      return { screen: 'locked', message: event.message };
    case 'session_ended':
      if (state.screen === 'success' || state.screen === 'locked') return state;
      return { screen: 'expired', message: event.message };
    case 'request_failed':
      switch (state.screen) {
        case 'verifying':
          return { ...state, submitting: false, resending: false, error: event.message, retryable: state.submitting };
        case 'credentials':
          return { screen: 'credentials', sessionId: state.sessionId, submitting: false, error: event.message };
        case 'forgot':
        case 'new-password':
        case 'profile':
          return { ...state, submitting: false, error: event.message };
        case 'upstream':
          // Only a cancel reports failures here (polls try again by themselves): the buttons work again.
          return { ...state, cancelling: false };
        default:
          return state;
      }
    default:
      throw new Error(`Unknown widget event: ${JSON.stringify(event satisfies never)}`);
  }
}

function verifying(sessionId: string, result: CodeSentResult, at: number): WidgetScreen {
  return {
    screen: 'verifying',
    sessionId,
    submitting: false,
    purpose: result.purpose,
    delivery: result.delivery,
    ...(result.delivery.method === 'totp' ? {} : { resendAt: at + RESEND_COOLDOWN_SECONDS * 1000 }),
  };
}

function fromResult(result: AuthenticateResult, at: number): WidgetScreen {
  if (result.authenticated) {
    return { screen: 'success', name: result.name, email: result.email, ...(result.profile ? { profile: result.profile } : {}) };
  }
  const { sessionId } = result;
  switch (result.step) {
    case 'verify':
      return {
        screen: 'verifying',
        sessionId,
        submitting: false,
        ...(result.purpose ? { purpose: result.purpose } : {}),
        ...(result.delivery ? { delivery: result.delivery } : {}),
        // Reopened on the code step: the last send time is unknown, so resending is allowed at once.
        resendAt: at,
      };
    case 'profile':
      return { screen: 'profile', sessionId, submitting: false, profiles: result.profiles ?? [] };
    case 'new-password':
      return { screen: 'new-password', sessionId, submitting: false };
    case 'upstream':
      return { screen: 'upstream', sessionId, opened: true, cancelling: false };
    default:
      return { screen: 'credentials', sessionId, submitting: false };
  }
}
