/**
 * The hosted sign-in page (account linking): the widget's own screens, then
 * consent, then back to the app. The server says which applies
 * (`details`): `login` shows the sign-in screens on a session opened for this
 * page; once signed in, the session is handed over and the browser goes on
 * through the authorization flow, which comes back here for `consent` unless
 * this account already allowed this app.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { InteractionDetails, InteractionRedirect, UpstreamButton } from '@target-auth/shared/linking';
import type { AuthenticateResult } from '@target-auth/shared/tools';
import { App } from '../App';
import { Card } from '../components/Card';
import { ConsentScreen } from '../screens/ConsentScreen';
import { LoadingScreen } from '../screens/LoadingScreen';
import type { ChallengeSolver } from '../state/proof-of-work';
import { HostedBridge } from './hosted-bridge';
import { type InteractionApi, InteractionApiError } from './interaction-api';
import { type Authenticate, usePasskeySignIn } from './use-passkey-sign-in';
import { useSystemTheme } from './use-system-theme';
import type { SessionMemory } from './page-memory';

type Phase =
  | { name: 'loading' }
  | { name: 'sign-in'; sessionId: string; providers: UpstreamButton[]; initial?: AuthenticateResult }
  | { name: 'consent'; details: Extract<InteractionDetails, { prompt: 'consent' }>; busy: 'allow' | 'deny' | null; error?: string }
  | { name: 'leaving' }
  | { name: 'failed'; message: string };

export interface HostedAppProps {
  api: InteractionApi;
  /** The session API's origin (this page's). */
  apiBase: string;
  /** Where the browser goes next; `location.assign` on the page. */
  navigate: (url: string) => void;
  solveChallenge?: ChallengeSolver;
  /**
   * Where the page keeps its sign-in session while the person is away at an
   * upstream provider (sessionStorage, one entry per interaction), so that it
   * resumes that session when the provider sends the browser back.
   */
  memory?: SessionMemory;
  /** The browser's passkey prompt and whether WebAuthn is there (tests give their own). */
  passkeys?: { authenticate?: Authenticate; supported?: () => boolean };
}

const RESTART_HINT = 'Go back to the app and connect your Target account again.';

/**
 * The session the page kept before leaving for a provider, where its screens
 * stand now; none when there is no such session, it ended, or it is still
 * marked away (the person came back without finishing): then a new one.
 */
async function resume(api: InteractionApi, kept: string | undefined): Promise<AuthenticateResult | undefined> {
  if (!kept) return undefined;
  const result = await api.resume(kept).catch(() => undefined);
  return result && !(result.authenticated === false && result.step === 'upstream') ? result : undefined;
}

const messageOf = (error: unknown): string =>
  error instanceof InteractionApiError ? error.message : "Something went wrong. Go back to the app and try again.";

export function HostedApp({ api, apiBase, navigate, solveChallenge, memory, passkeys }: HostedAppProps) {
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });
  const passkey = usePasskeySignIn(
    api,
    useCallback((initial: AuthenticateResult) => setPhase((now) => (now.name === 'sign-in' ? { ...now, initial } : now)), []),
    passkeys,
  );

  useSystemTheme();

  useEffect(() => {
    let live = true;
    (async () => {
      const details = await api.details();
      if (details.prompt === 'consent') return { name: 'consent', details, busy: null } as const;
      const resumed = await resume(api, memory?.take());
      if (resumed) return { name: 'sign-in', sessionId: resumed.sessionId, providers: details.providers, initial: resumed } as const;
      return { name: 'sign-in', sessionId: await api.openSession(), providers: details.providers } as const;
    })().then(
      (next) => live && setPhase(next),
      (error: unknown) => live && setPhase({ name: 'failed', message: messageOf(error) }),
    );
    return () => {
      live = false;
    };
  }, [api, memory]);

  const leave = useCallback(
    (redirect: InteractionRedirect) => {
      setPhase({ name: 'leaving' });
      navigate(redirect.redirectTo);
    },
    [navigate],
  );

  const signIn = phase.name === 'sign-in' ? phase : undefined;
  const sessionId = signIn?.sessionId;
  const initial = signIn?.initial;
  const bridge = useMemo(
    () =>
      sessionId === undefined
        ? undefined
        : new HostedBridge(
            apiBase,
            sessionId,
            () => {
              api.login(sessionId).then(leave, (error: unknown) => setPhase({ name: 'failed', message: messageOf(error) }));
            },
            initial,
          ),
    [api, apiBase, sessionId, initial, leave],
  );

  /** "Continue with {provider}": the session is kept for the way back, and the browser goes to the provider. */
  const upstream = useMemo(
    () =>
      signIn && signIn.providers.length > 0
        ? {
            providers: signIn.providers,
            begin: (id: string, providerId: string) => {
              api.upstream(id, providerId).then(
                (redirect) => {
                  memory?.keep(id);
                  leave(redirect);
                },
                (error: unknown) => setPhase({ name: 'failed', message: messageOf(error) }),
              );
            },
          }
        : undefined,
    [api, memory, leave, signIn],
  );

  const decide = (choice: 'allow' | 'deny') => {
    if (phase.name !== 'consent' || phase.busy) return;
    setPhase({ ...phase, busy: choice, error: undefined });
    (choice === 'allow' ? api.consent() : api.deny()).then(leave, (error: unknown) =>
      error instanceof InteractionApiError && error.failure.error !== 'interaction_expired'
        ? setPhase({ ...phase, busy: null, error: error.message })
        : setPhase({ name: 'failed', message: messageOf(error) }),
    );
  };

  if (bridge) {
    return (
      <App
        key={initial ? `${sessionId}:${String(initial.authenticated)}` : sessionId}
        bridge={bridge}
        restartHint={RESTART_HINT}
        {...(solveChallenge && { solveChallenge })}
        {...(upstream && { upstream })}
        passkey={passkey ?? null}
      />
    );
  }
  return <Card>{render()}</Card>;

  function render() {
    switch (phase.name) {
      case 'loading':
      case 'sign-in':
        return <LoadingScreen />;
      case 'leaving':
        return (
          <section className="screen loading" role="status">
            <span className="spinner large" aria-hidden="true" />
            <p>Taking you back…</p>
          </section>
        );
      case 'consent':
        return (
          <ConsentScreen
            {...phase.details}
            busy={phase.busy}
            {...(phase.error !== undefined && { error: phase.error })}
            onAllow={() => decide('allow')}
            onDeny={() => decide('deny')}
          />
        );
      case 'failed':
        return (
          <section className="screen notice" role="alert">
            <h1>Can't connect right now</h1>
            <p>{phase.message}</p>
          </section>
        );
    }
  }
}
