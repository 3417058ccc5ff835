/**
 * The passkey page (/auth/passkey): where a chat's "Sign in with a passkey"
 * goes on in the person's browser, once the start page took the chat's code.
 * It asks the server whether this browser may still sign the chat in, then
 * runs the browser's passkey prompt on a press (Safari wants one); the
 * chat's widget sees the outcome when it next polls. Nothing here names the
 * chat's session: the pass cookie does.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AuthenticateResult } from '@target-auth/shared/tools';
import { Card } from '../components/Card';
import { FormError } from '../components/FormParts';
import { LoadingScreen } from '../screens/LoadingScreen';
import { type PasskeyPageApi, PasskeyPageError } from './passkey-page-api';
import { type Authenticate, usePasskeySignIn } from './use-passkey-sign-in';
import { useSystemTheme } from './use-system-theme';

type Phase = { name: 'loading' } | { name: 'ready' } | { name: 'done'; result: AuthenticateResult } | { name: 'gone'; message: string };

export interface PasskeyPageAppProps {
  api: PasskeyPageApi;
  /** The browser's passkey prompt and whether WebAuthn is there (tests give their own). */
  passkeys?: { authenticate?: Authenticate; supported?: () => boolean };
}

/** The pass names the session; the hook's own key for it. */
const THIS_BROWSERS_PASS = 'pass';
const UNREACHABLE = "We couldn't reach Target. Check your connection and reload this page.";

export function PasskeyPageApp({ api, passkeys }: PasskeyPageAppProps) {
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });
  const passkey = usePasskeySignIn(
    api,
    useCallback((result: AuthenticateResult) => setPhase({ name: 'done', result }), []),
    passkeys,
  );

  useSystemTheme();

  useEffect(() => {
    let live = true;
    api.ready().then(
      () => live && setPhase({ name: 'ready' }),
      (error: unknown) => live && setPhase({ name: 'gone', message: error instanceof PasskeyPageError && error.status !== 0 ? error.message : UNREACHABLE }),
    );
    return () => {
      live = false;
    };
  }, [api]);

  return <Card>{render()}</Card>;

  function render() {
    switch (phase.name) {
      case 'loading':
        return <LoadingScreen />;
      case 'gone':
        return (
          <section className="screen notice" role="alert">
            <h1>This passkey sign-in is over</h1>
            <p>{phase.message}</p>
          </section>
        );
      case 'done':
        return phase.result.authenticated ? (
          <section className="screen success" aria-live="polite">
            <h1>You are signed in to Target</h1>
            <p className="lead">Go back to the chat: it shows you as signed in. You can close this tab.</p>
          </section>
        ) : (
          <section className="screen" aria-live="polite">
            <h1>One more step in the chat</h1>
            <p className="lead">Go back to the chat to finish signing in. You can close this tab.</p>
          </section>
        );
      case 'ready':
        return (
          <section className="screen">
            <h1>Sign in with a passkey</h1>
            {passkey ? (
              <>
                <p className="lead">Use your passkey to finish signing in to Target for your chat. No password or code is needed.</p>
                <FormError error={passkey.error} />
                <button type="button" className="primary" disabled={passkey.busy} onClick={() => passkey.begin(THIS_BROWSERS_PASS)}>
                  {passkey.busy ? <span className="spinner" aria-hidden="true" /> : null}
                  {passkey.busy ? 'Waiting for your passkey…' : 'Use your passkey'}
                </button>
              </>
            ) : (
              <p className="lead">This browser cannot use passkeys. Go back to the chat and sign in with your password instead.</p>
            )}
          </section>
        );
    }
  }
}
