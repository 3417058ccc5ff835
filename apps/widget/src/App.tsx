/**
 * The widget: one reducer state (state/auth-reducer.ts), one screen component
 * per state, and the host bridge (bridge/) for everything outside the frame.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { ToolName } from '@target-auth/shared/tools';
import type { Theme } from '@target-auth/shared/widget-state';
import type { HostBridge } from './bridge/host-bridge';
import { Card } from './components/Card';
import { CredentialsScreen } from './screens/CredentialsScreen';
import { EndedScreen } from './screens/EndedScreen';
import { ErrorScreen } from './screens/ErrorScreen';
import { ForgotScreen } from './screens/ForgotScreen';
import { LoadingScreen } from './screens/LoadingScreen';
import { NewPasswordScreen } from './screens/NewPasswordScreen';
import { ProfileScreen } from './screens/ProfileScreen';
import { SuccessScreen } from './screens/SuccessScreen';
import { VerifyScreen } from './screens/VerifyScreen';
import { authReducer, type AuthEvent, initialScreen } from './state/auth-reducer';
import { deviceKey } from './state/device-key';
import { type ChallengeSolver, solveProofOfWork } from './state/proof-of-work';
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
} from './state/tool-outcome';

export const LOAD_TIMEOUT_MS = 10_000;
const LOAD_FAILURE = "The sign-in didn't load.";
const CHALLENGE_FAILURE = "We couldn't check your browser. Try again.";

export interface AppProps {
  bridge: HostBridge;
  loadTimeoutMs?: number;
  /** Solves the server's proof-of-work challenge (tests pass a fast one). */
  solveChallenge?: ChallengeSolver;
  /** What an expired or locked sign-in tells the person to do; the hosted page sends them back to the app. */
  restartHint?: string;
  /** This browser's device key (state/device-key.ts), if it can keep one. */
  device?: () => string | undefined;
}

export function App({ bridge, loadTimeoutMs = LOAD_TIMEOUT_MS, solveChallenge = solveProofOfWork, restartHint, device = deviceKey }: AppProps) {
  const [state, dispatch] = useReducer(authReducer, initialScreen);
  const withDevice = useCallback((args: Record<string, unknown>) => {
    const key = device();
    return key ? { ...args, device: key } : args;
  }, [device]);
  const [theme, setTheme] = useState<Theme>('light');
  const sessionId = useRef<string | undefined>(undefined);

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

  // One step at a time, also within one tick: two completions before React
  // re-renders both see `submitting: false`, and each code sent costs an attempt.
  const stepInFlight = useRef(false);
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
  const step = useCallback(
    async (submitted: AuthEvent, name: ToolName, args: Record<string, unknown>, toEvent: (result: ToolResultLike) => AuthEvent) => {
      if (stepInFlight.current) return;
      stepInFlight.current = true;
      dispatch(submitted);
      try {
        const result = await send(name, args);
        if (result) dispatch(toEvent(result));
      } finally {
        stepInFlight.current = false;
      }
    },
    [send],
  );

  /** Credentials, and once more with the solved challenge when the server asks for one. The password lives only here. */
  const submitCredentials = useCallback(
    async (sessionId: string, email: string, password: string) => {
      if (stepInFlight.current) return;
      stepInFlight.current = true;
      dispatch({ type: 'credentials_submitted' });
      try {
        const args = withDevice({ sessionId, email, password });
        let result = await send(ToolName.submitCredentials, args);
        const challenge = result && challengeOf(result);
        if (challenge) {
          dispatch({ type: 'challenge_required' });
          const altcha = await solveChallenge(challenge).catch(() => undefined);
          result = altcha ? await send(ToolName.submitCredentials, { ...args, altcha }) : undefined;
          if (!altcha || (result && challengeOf(result))) {
            dispatch({ type: 'credentials_rejected', message: CHALLENGE_FAILURE });
            return;
          }
        }
        if (result) dispatch(credentialsEvent(result));
      } finally {
        stepInFlight.current = false;
      }
    },
    [send, solveChallenge, withDevice],
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

  return <Card>{renderScreen()}</Card>;

  function renderScreen() {
    switch (state.screen) {
      case 'loading':
        return <LoadingScreen />;
      case 'credentials': {
        const id = state.sessionId;
        return (
          <CredentialsScreen
            submitting={state.submitting}
            checking={state.checking}
            error={state.error}
            onSubmit={(email, password) => void submitCredentials(id, email, password)}
            onForgot={() => dispatch({ type: 'forgot_opened' })}
          />
        );
      }
      case 'forgot': {
        const id = state.sessionId;
        return (
          <ForgotScreen
            submitting={state.submitting}
            error={state.error}
            onSubmit={(email) => void step({ type: 'reset_submitted' }, ToolName.startPasswordReset, withDevice({ sessionId: id, email }), resetEvent)}
            onBack={() => dispatch({ type: 'forgot_closed' })}
          />
        );
      }
      case 'verifying': {
        const id = state.sessionId;
        return (
          <VerifyScreen
            {...state}
            onSubmit={(code) => {
              if (state.submitting) return;
              void step({ type: 'code_submitted' }, ToolName.verifyCode, { sessionId: id, code }, codeEvent);
            }}
            onResend={() => void step({ type: 'resend_submitted' }, ToolName.resendCode, { sessionId: id }, resendEvent)}
          />
        );
      }
      case 'new-password': {
        const id = state.sessionId;
        return (
          <NewPasswordScreen
            submitting={state.submitting}
            error={state.error}
            onSubmit={(password) => void step({ type: 'password_submitted' }, ToolName.setPassword, { sessionId: id, password }, passwordEvent)}
          />
        );
      }
      case 'profile': {
        const id = state.sessionId;
        return (
          <ProfileScreen
            profiles={state.profiles}
            submitting={state.submitting}
            error={state.error}
            onChoose={(profileId) => void step({ type: 'profile_submitted' }, ToolName.selectProfile, { sessionId: id, profileId }, profileEvent)}
          />
        );
      }
      case 'success':
        return <SuccessScreen name={state.name} email={state.email} profile={state.profile} />;
      case 'expired':
      case 'locked':
        return <EndedScreen why={state.screen} message={state.message} {...(restartHint !== undefined && { restartHint })} />;
      case 'error':
        return (
          <ErrorScreen
            message={state.sessionId ? `${state.message} Try again.` : `${state.message} Ask the assistant to start the sign-in again.`}
            onRetry={state.sessionId ? retry : undefined}
          />
        );
    }
  }
}
