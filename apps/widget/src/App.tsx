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
import { ErrorScreen } from './screens/ErrorScreen';
import { ExpiredScreen } from './screens/ExpiredScreen';
import { LoadingScreen } from './screens/LoadingScreen';
import { SuccessScreen } from './screens/SuccessScreen';
import { VerifyScreen } from './screens/VerifyScreen';
import { authReducer, type AuthEvent, initialScreen } from './state/auth-reducer';
import { codeEvent, credentialsEvent, NETWORK_FAILURE, shownEvent, type ToolResultLike } from './state/tool-outcome';

export const LOAD_TIMEOUT_MS = 10_000;
const LOAD_FAILURE = "The sign-in didn't load.";

export interface AppProps {
  bridge: HostBridge;
  loadTimeoutMs?: number;
}

export function App({ bridge, loadTimeoutMs = LOAD_TIMEOUT_MS }: AppProps) {
  const [state, dispatch] = useReducer(authReducer, initialScreen);
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
    if (success) bridge.signedIn({ authenticated: true, name: success.name, email: success.email });
  }, [bridge, success]);

  // One step at a time, also within one tick: two completions before React
  // re-renders both see `submitting: false`, and each code sent costs an attempt.
  const stepInFlight = useRef(false);
  const step = useCallback(
    async (name: ToolName, args: Record<string, unknown>, toEvent: (result: ToolResultLike) => AuthEvent) => {
      if (stepInFlight.current) return;
      stepInFlight.current = true;
      try {
        dispatch(toEvent(await bridge.callTool(name, args)));
      } catch {
        dispatch({ type: 'request_failed', message: NETWORK_FAILURE });
      } finally {
        stepInFlight.current = false;
      }
    },
    [bridge],
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
            error={state.error}
            onSubmit={(email, password) => {
              dispatch({ type: 'credentials_submitted' });
              void step(ToolName.submitCredentials, { sessionId: id, email, password }, credentialsEvent);
            }}
          />
        );
      }
      case 'verifying': {
        const id = state.sessionId;
        return (
          <VerifyScreen
            submitting={state.submitting}
            locked={state.locked}
            error={state.error}
            attemptsLeft={state.attemptsLeft}
            onSubmit={(code) => {
              if (state.submitting || state.locked) return;
              dispatch({ type: 'code_submitted' });
              void step(ToolName.verifyCode, { sessionId: id, code }, codeEvent);
            }}
          />
        );
      }
      case 'success':
        return <SuccessScreen name={state.name} email={state.email} />;
      case 'expired':
        return <ExpiredScreen message={state.message} />;
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
