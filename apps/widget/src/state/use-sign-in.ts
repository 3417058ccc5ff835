/**
 * The widget's sign-in as a hook: the reducer's state (auth-reducer.ts), the
 * host bridge's events, and one action per thing a screen can ask for. Each
 * action is one step: one tool call at a time (also within one tick: two
 * completions before React re-renders both see `submitting: false`, and each
 * code sent costs an attempt), its outcome turned into the reducer's event.
 * The password lives only in the call that sends it.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
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
} from './tool-outcome';

export const LOAD_TIMEOUT_MS = 10_000;
const LOAD_FAILURE = "The sign-in didn't load.";
const CHALLENGE_FAILURE = "We couldn't check your browser. Try again.";

export interface SignInOptions {
  bridge: HostBridge;
  loadTimeoutMs: number;
  solveChallenge: ChallengeSolver;
  /** This browser's device key, if it can keep one. */
  device: () => string | undefined;
}

export function useSignIn({ bridge, loadTimeoutMs, solveChallenge, device }: SignInOptions) {
  const [state, dispatch] = useReducer(authReducer, initialScreen);
  const [theme, setTheme] = useState<Theme>('light');
  const sessionId = useRef<string | undefined>(undefined);
  const stepInFlight = useRef(false);

  useEffect(() => {
    bridge.start({
      toolInput: (args) => {
        if (typeof args['sessionId'] === 'string') sessionId.current = args['sessionId'];
      },
      toolResult: (result) => dispatch(shownEvent(result, sessionId.current)),
      theme: setTheme,
      styles: (variables) => {
        for (const [name, value] of Object.entries(variables)) {
          if (name.startsWith('--') && value) document.documentElement.style.setProperty(name, value);
        }
      },
    });
    return () => bridge.stop();
  }, [bridge]);

  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);

  useEffect(() => {
    if (state.screen !== 'loading') return;
    const timer = setTimeout(() => dispatch({ type: 'load_failed', message: LOAD_FAILURE, sessionId: sessionId.current }), loadTimeoutMs);
    return () => clearTimeout(timer);
  }, [state.screen, loadTimeoutMs]);

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

  const retry = useCallback(() => {
    const id = state.screen === 'error' ? state.sessionId : undefined;
    if (!id) return;
    dispatch({ type: 'retry_requested' });
    bridge.callTool(ToolName.authenticate, { sessionId: id }).then(
      (result) => dispatch(shownEvent(result, id)),
      () => dispatch({ type: 'load_failed', message: NETWORK_FAILURE, sessionId: id }),
    );
  }, [bridge, state]);

  const actions = {
    submitCredentials,
    openForgot: () => dispatch({ type: 'forgot_opened' }),
    closeForgot: () => dispatch({ type: 'forgot_closed' }),
    startReset: (id: string, email: string) => step({ type: 'reset_submitted' }, ToolName.startPasswordReset, withDevice({ sessionId: id, email }), resetEvent),
    verifyCode: (id: string, code: string) => step({ type: 'code_submitted' }, ToolName.verifyCode, { sessionId: id, code }, codeEvent),
    resendCode: (id: string) => step({ type: 'resend_submitted' }, ToolName.resendCode, { sessionId: id }, resendEvent),
    setPassword: (id: string, password: string) => step({ type: 'password_submitted' }, ToolName.setPassword, { sessionId: id, password }, passwordEvent),
    chooseProfile: (id: string, profileId: string) => step({ type: 'profile_submitted' }, ToolName.selectProfile, { sessionId: id, profileId }, profileEvent),
    retry,
  };
  return { state, actions };
}
