/**
 * The widget's sign-in as a hook: the reducer's state (auth-reducer.ts), the
 * host bridge's events, and one action per thing a screen can ask for. Each
 * action is one step: one tool call at a time (also within one tick: two
 * completions before React re-renders both see `submitting: false`, and each
 * code sent costs an attempt), its outcome turned into the reducer's event.
 * The password lives only in the call that sends it.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { UpstreamButton } from '@target-auth/shared/linking';
import { ToolName } from '@target-auth/shared/tools';
import type { Theme } from '@target-auth/shared/widget-state';
import type { HostBridge } from '../bridge/host-bridge';
import { authReducer, type AuthEvent, initialScreen } from './auth-reducer';
import { type ChallengeSolver } from './proof-of-work';
import {
  challengeOf,
  codeEvent,
  credentialsEvent,
  NETWORK_FAILURE,
  passwordEvent,
  profileEvent,
  resendEvent,
  resetEvent,
  shownEvent,
  type ToolResultLike,
  upstreamCheckedEvent,
  upstreamStarted,
} from './tool-outcome';

export const LOAD_TIMEOUT_MS = 10_000;
/** How often the widget asks whether the sign-in in the other tab has finished. */
export const UPSTREAM_POLL_MS = 2500;
const LOAD_FAILURE = "The sign-in didn't load.";
const CHALLENGE_FAILURE = "We couldn't check your browser. Try again.";

export interface SignInOptions {
  bridge: HostBridge;
  loadTimeoutMs: number;
  solveChallenge: ChallengeSolver;
  /** This browser's device key, if it can keep one. */
  device: () => string | undefined;
  pollMs?: number;
}

export function useSignIn({ bridge, loadTimeoutMs, solveChallenge, device, pollMs = UPSTREAM_POLL_MS }: SignInOptions) {
  const [state, dispatch] = useReducer(authReducer, initialScreen);
  const [theme, setTheme] = useState<Theme>('light');
  /** The upstream providers the server offers beside the password (from the result the widget opened on). */
  const [providers, setProviders] = useState<readonly UpstreamButton[]>([]);
  const sessionId = useRef<string | undefined>(undefined);
  const stepInFlight = useRef(false);

  /** The result the screens open on (the host's, or a retry's), and the providers it offers. */
  const shown = useCallback((result: ToolResultLike, id: string | undefined) => {
    const offered = providersOf(result);
    if (offered) setProviders(offered);
    dispatch(shownEvent(result, id));
  }, []);

  useEffect(() => {
    bridge.start({
      toolInput: (args) => {
        if (typeof args['sessionId'] === 'string') sessionId.current = args['sessionId'];
      },
      toolResult: (result) => shown(result, sessionId.current),
      theme: setTheme,
      styles: (variables) => {
        for (const [name, value] of Object.entries(variables)) {
          if (name.startsWith('--') && value) document.documentElement.style.setProperty(name, value);
        }
      },
    });
    return () => bridge.stop();
  }, [bridge, shown]);

  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);

  useEffect(() => {
    if (state.screen !== 'loading') return;
    const timer = setTimeout(() => dispatch({ type: 'load_failed', message: LOAD_FAILURE, sessionId: sessionId.current }), loadTimeoutMs);
    return () => clearTimeout(timer);
  }, [state.screen, loadTimeoutMs]);

  // Away at a provider in another tab: ask every few seconds whether it finished (one question at a time).
  const awaySession = state.screen === 'upstream' && !state.cancelling ? state.sessionId : undefined;
  useEffect(() => {
    if (!awaySession) return;
    let asking = false;
    const timer = setInterval(() => {
      if (asking) return;
      asking = true;
      bridge
        .callTool(ToolName.checkUpstream, { sessionId: awaySession })
        .then((result) => {
          const event = upstreamCheckedEvent(result, 'upstream_checked');
          if (event) dispatch(event);
        })
        .catch(() => undefined)
        .finally(() => (asking = false));
    }, pollMs);
    return () => clearInterval(timer);
  }, [bridge, awaySession, pollMs]);

  const success = state.screen === 'success' ? state : undefined;
  useEffect(() => {
    if (success) bridge.signedIn({ authenticated: true, name: success.name, email: success.email, ...(success.profile ? { profile: success.profile } : {}) });
  }, [bridge, success]);

  const send = useCallback(
    async (name: ToolName, args: Record<string, unknown>): Promise<ToolResultLike | undefined> => {
      try {
        return await bridge.callTool(name, args);
      } catch {
        dispatch({ type: 'request_failed', message: NETWORK_FAILURE });
        return undefined;
      }
    },
    [bridge],
  );

  /** Runs `work` unless a step is already under way, after telling the reducer it was submitted. */
  const oneStep = useCallback(async (submitted: AuthEvent, work: () => Promise<AuthEvent | undefined>) => {
    if (stepInFlight.current) return;
    stepInFlight.current = true;
    dispatch(submitted);
    try {
      const outcome = await work();
      if (outcome) dispatch(outcome);
    } finally {
      stepInFlight.current = false;
    }
  }, []);

  const step = useCallback(
    (submitted: AuthEvent, name: ToolName, args: Record<string, unknown>, toEvent: (result: ToolResultLike) => AuthEvent) =>
      oneStep(submitted, async () => {
        const result = await send(name, args);
        return result && toEvent(result);
      }),
    [oneStep, send],
  );

  const withDevice = useCallback(
    (args: Record<string, unknown>) => {
      const key = device();
      return key ? { ...args, device: key } : args;
    },
    [device],
  );

  /** Credentials, and once more with the solved challenge when the server asks for one. */
  const submitCredentials = useCallback(
    (id: string, email: string, password: string) =>
      oneStep({ type: 'credentials_submitted' }, async () => {
        const args = withDevice({ sessionId: id, email, password });
        const first = await send(ToolName.submitCredentials, args);
        const challenge = first && challengeOf(first);
        if (!challenge) return first && credentialsEvent(first);
        dispatch({ type: 'challenge_required' });
        const altcha = await solveChallenge(challenge).catch(() => undefined);
        if (!altcha) return { type: 'credentials_rejected', message: CHALLENGE_FAILURE };
        const second = await send(ToolName.submitCredentials, { ...args, altcha });
        if (second && challengeOf(second)) return { type: 'credentials_rejected', message: CHALLENGE_FAILURE };
        return second && credentialsEvent(second);
      }),
    [oneStep, send, solveChallenge, withDevice],
  );

  /** "Continue with {provider}": the start link, opened by the host in the person's browser when it can. */
  const startUpstream = useCallback(
    (id: string, provider: string) =>
      oneStep({ type: 'upstream_submitted' }, async () => {
        const result = await send(ToolName.startUpstream, { sessionId: id, provider });
        if (!result) return undefined;
        const started = upstreamStarted(result);
        if ('type' in started) return started;
        const opened = await bridge.openLink(started.url).catch(() => false);
        return { type: 'upstream_started', result: started, opened };
      }),
    [bridge, oneStep, send],
  );

  const cancelUpstream = useCallback(
    (id: string) =>
      oneStep({ type: 'upstream_cancel_submitted' }, async () => {
        const result = await send(ToolName.checkUpstream, { sessionId: id, cancel: true });
        return result && upstreamCheckedEvent(result, 'upstream_cancelled');
      }),
    [oneStep, send],
  );

  const retry = useCallback(() => {
    const id = state.screen === 'error' ? state.sessionId : undefined;
    if (!id) return;
    dispatch({ type: 'retry_requested' });
    bridge.callTool(ToolName.authenticate, { sessionId: id }).then(
      (result) => shown(result, id),
      () => dispatch({ type: 'load_failed', message: NETWORK_FAILURE, sessionId: id }),
    );
  }, [bridge, shown, state]);

  const actions = {
    submitCredentials,
    openForgot: () => dispatch({ type: 'forgot_opened' }),
    closeForgot: () => dispatch({ type: 'forgot_closed' }),
    startReset: (id: string, email: string) => step({ type: 'reset_submitted' }, ToolName.startPasswordReset, withDevice({ sessionId: id, email }), resetEvent),
    verifyCode: (id: string, code: string) => step({ type: 'code_submitted' }, ToolName.verifyCode, { sessionId: id, code }, codeEvent),
    resendCode: (id: string) => step({ type: 'resend_submitted' }, ToolName.resendCode, { sessionId: id }, resendEvent),
    setPassword: (id: string, password: string) => step({ type: 'password_submitted' }, ToolName.setPassword, { sessionId: id, password }, passwordEvent),
    chooseProfile: (id: string, profileId: string) => step({ type: 'profile_submitted' }, ToolName.selectProfile, { sessionId: id, profileId }, profileEvent),
    startUpstream,
    cancelUpstream,
    retry,
  };
  return { state, actions, providers };
}

/** The providers an `authenticate-target` result offers, if it names any. */
function providersOf(result: ToolResultLike): UpstreamButton[] | undefined {
  const content = result.structuredContent;
  if (typeof content !== 'object' || content === null || !Array.isArray((content as { providers?: unknown }).providers)) return undefined;
  return ((content as { providers: unknown[] }).providers).filter(
    (provider): provider is UpstreamButton => typeof provider === 'object' && provider !== null && typeof (provider as UpstreamButton).id === 'string' && typeof (provider as UpstreamButton).name === 'string',
  );
}
