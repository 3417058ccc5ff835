/**
 * The account page: the widget's sign-in screens on a session the page opens
 * for this browser, then the account, the apps that can act for it (each with
 * Revoke), and signing out here or everywhere. A call the server refuses
 * because the page is no longer signed in brings the sign-in back.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AccountOverview, AccountStatus, ConnectedApp, LinkedSignIn, PasskeyView } from '@target-auth/shared/account';
import type { AuthenticateResult } from '@target-auth/shared/tools';
import { type PublicKeyCredentialCreationOptionsJSON, startRegistration } from '@simplewebauthn/browser';
import { type Authenticate, usePasskeySignIn } from '../hosted/use-passkey-sign-in';
import type { SessionMemory } from '../hosted/page-memory';
import type { UpstreamButton } from '@target-auth/shared/linking';
import { App } from '../App';
import { Card } from '../components/Card';
import { LoadingScreen } from '../screens/LoadingScreen';
import { HostedBridge } from '../hosted/hosted-bridge';
import { useSystemTheme } from '../hosted/use-system-theme';
import type { ChallengeSolver } from '../state/proof-of-work';
import { type AccountApi, AccountApiError } from './account-api';
import { AccountScreen, type AccountScreenState } from './AccountScreen';

type Phase =
  | { name: 'loading' }
  | { name: 'sign-in'; sessionId: string; providers: UpstreamButton[]; initial?: AuthenticateResult }
  | ({ name: 'account'; account: AccountOverview } & AccountScreenState)
  | { name: 'signed-out'; everywhere: boolean }
  | { name: 'failed'; message: string };

export interface AccountAppProps {
  api: AccountApi;
  /** The session API's origin (this page's). */
  apiBase: string;
  solveChallenge?: ChallengeSolver;
  /** The browser's passkey prompts and whether WebAuthn is there (tests give their own). */
  passkeys?: { authenticate?: Authenticate; register?: Register; supported?: () => boolean };
  /** Where the browser goes for an upstream provider; `location.assign` on the page. */
  navigate?: (url: string) => void;
  /** Keeps the sign-in while the person is away at a provider (sessionStorage on the page). */
  memory?: SessionMemory;
}

const RESTART_HINT = 'Reload this page to sign in again.';

/** The browser's "create a passkey" prompt. */
export type Register = (options: { optionsJSON: PublicKeyCredentialCreationOptionsJSON }) => Promise<unknown>;

const messageOf = (error: unknown): string => (error instanceof AccountApiError ? error.message : 'Something went wrong. Reload the page and try again.');
const signedOut = (error: unknown): boolean => error instanceof AccountApiError && error.failure.error === 'not_signed_in';

export function AccountApp({ api, apiBase, solveChallenge, passkeys, navigate, memory }: AccountAppProps) {
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });
  useSystemTheme();
  const passkey = usePasskeySignIn(
    api,
    useCallback((initial: AuthenticateResult) => setPhase((now) => (now.name === 'sign-in' ? { ...now, initial } : now)), []),
    passkeys,
  );
  const register = passkeys?.register ?? startRegistration;

  const fail = useCallback((error: unknown) => setPhase({ name: 'failed', message: messageOf(error) }), []);

  /** The sign-in screens on a new session. */
  const signIn = useCallback(() => {
    setPhase({ name: 'loading' });
    api.openSession().then(({ sessionId, providers }) => setPhase({ name: 'sign-in', sessionId, providers }), fail);
  }, [api, fail]);

  /** Back from a provider: the sign-in kept before leaving, where it stands now; else a new one. */
  const resumeOrSignIn = useCallback(() => {
    const kept = memory?.take();
    if (!kept) return signIn();
    api.resume(kept).then(
      (initial) => (initial.authenticated === false && initial.step === 'upstream' ? signIn() : setPhase({ name: 'sign-in', sessionId: kept, providers: [], initial })),
      () => signIn(),
    );
  }, [api, memory, signIn]);

  /** The account and its apps, for a signed-in page; else the sign-in. */
  const show = useCallback(
    (status: AccountStatus) => {
      if (!status.signedIn) return resumeOrSignIn();
      setPhase({ name: 'account', account: status.account, apps: undefined, identities: undefined, passkeys: undefined, profiles: undefined, busy: null });
      Promise.all([api.apps(), api.identities(), api.passkeys(), api.profiles()]).then(
        ([apps, identities, passkeys, profiles]) => setPhase((now) => (now.name === 'account' ? { ...now, apps, identities, passkeys, profiles } : now)),
        (error: unknown) => (signedOut(error) ? signIn() : fail(error)),
      );
    },
    [api, resumeOrSignIn, signIn, fail],
  );

  useEffect(() => {
    api.status().then(show, fail);
  }, [api, show, fail]);

  const sessionId = phase.name === 'sign-in' ? phase.sessionId : undefined;
  const initial = phase.name === 'sign-in' ? phase.initial : undefined;
  const bridge = useMemo(
    () => (sessionId === undefined ? undefined : new HostedBridge(apiBase, sessionId, () => void api.login(sessionId).then(show, fail), initial)),
    [api, apiBase, sessionId, initial, show, fail],
  );

  const providers = phase.name === 'sign-in' ? phase.providers : [];
  const upstream =
    providers.length > 0 && navigate
      ? {
          providers,
          begin: (id: string, providerId: string) => {
            api.upstream(id, providerId).then(({ redirectTo }) => {
              memory?.keep(id);
              navigate(redirectTo);
            }, fail);
          },
        }
      : undefined;

  if (bridge) {
    return (
      <App
        key={initial ? `${sessionId}:${String(initial.authenticated)}` : sessionId}
        bridge={bridge}
        restartHint={RESTART_HINT}
        {...(solveChallenge && { solveChallenge })}
        passkey={passkey ?? null}
        {...(upstream && { upstream })}
      />
    );
  }
  return <Card>{render()}</Card>;

  function render() {
    switch (phase.name) {
      case 'loading':
      case 'sign-in':
        return <LoadingScreen />;
      case 'account':
        return <AccountScreen {...phase} onRevoke={revoke} onSignOut={signOut} onSignOutEverywhere={signOutEverywhere} onSignInAgain={signInAgain} onChangePassword={changePassword}
            onUnlink={unlink}
            onBeginAuthenticator={beginAuthenticator}
            onConfirmAuthenticator={confirmAuthenticator}
            onRemoveAuthenticator={removeAuthenticator}
            onAddPasskey={addPasskey}
            onRenamePasskey={renamePasskey}
            onRemovePasskey={removePasskey}
            onAddProfile={addProfile}
            canAddPasskeys={passkey !== undefined}
            onCancelAuthenticator={() => setPhase((now) => (now.name === 'account' ? { ...now, authenticatorSetup: undefined } : now))}
          />;
      case 'signed-out':
        return (
          <section className="screen notice" role="status">
            <h1>{phase.everywhere ? 'Signed out everywhere' : 'Signed out'}</h1>
            <p>
              {phase.everywhere
                ? 'Every sign-in of your account has ended: chats, connected apps and browsers. Apps can connect again once you sign in there.'
                : 'You are signed out of your account page.'}
            </p>
            <button type="button" className="primary" onClick={signIn}>
              Sign in
            </button>
          </section>
        );
      case 'failed':
        return (
          <section className="screen notice" role="alert">
            <h1>Can't show your account right now</h1>
            <p>{phase.message}</p>
          </section>
        );
    }
  }

  /** Runs one of the account screen's actions, marking it busy; a refusal is said on the screen. Resolves whether it succeeded. */
  function act(busy: string, work: () => Promise<Partial<AccountScreenState> | 'signed-out' | 'everywhere'>): Promise<boolean> {
    if (phase.name !== 'account' || phase.busy) return Promise.resolve(false);
    setPhase({ ...phase, busy, error: undefined, notice: undefined, errorKind: undefined });
    return work().then(
      (next) => {
        setPhase((now) => (next === 'signed-out' || next === 'everywhere' ? { name: 'signed-out', everywhere: next === 'everywhere' } : now.name === 'account' ? { ...now, ...next, busy: null } : now));
        return true;
      },
      (error: unknown) => {
        if (signedOut(error)) {
          signIn();
          return false;
        }
        const recent = error instanceof AccountApiError && error.failure.error === 'recent_sign_in_required';
        setPhase((now) => (now.name === 'account' ? { ...now, busy: null, error: messageOf(error), errorKind: recent ? 'recent' : 'other' } : now));
        return false;
      },
    );
  }

  function changePassword(current: string, password: string): Promise<boolean> {
    return act('password', async () => {
      const status = await api.changePassword(current, password);
      return { notice: 'Your password is changed. Every other sign-in of your account has ended.', ...(status.signedIn && { account: status.account }) };
    });
  }

  function revoke(app: ConnectedApp) {
    void act(`revoke:${app.clientId}`, async () => ({ apps: await api.revoke(app.clientId), notice: `${app.client.name} can no longer use your account.` }));
  }

  function addPasskey(name: string): Promise<boolean> {
    return act('passkey', async () => {
      const optionsJSON = await api.passkeyRegistrationOptions();
      let response: unknown;
      try {
        response = await register({ optionsJSON });
      } catch {
        throw new AccountApiError({ error: 'passkey_refused', message: 'The passkey was not created (cancelled or timed out). Try again.' }, 0);
      }
      return { passkeys: await api.addPasskey(response, name), notice: 'Your passkey is ready: use it to sign in without a password or code.' };
    });
  }

  function addProfile(name: string): Promise<boolean> {
    return act('profile', async () => {
      const profiles = await api.addProfile(name);
      return { profiles, notice: `${name.trim()} can be chosen from your next sign-in on.` };
    });
  }

  function renamePasskey(passkey: PasskeyView, name: string): Promise<boolean> {
    return act(`passkey:${passkey.id}`, async () => ({ passkeys: await api.renamePasskey(passkey.id, name) }));
  }

  function removePasskey(passkey: PasskeyView) {
    void act(`passkey:${passkey.id}`, async () => ({ passkeys: await api.removePasskey(passkey.id), notice: `The passkey “${passkey.name}” is removed: it signs in no more.` }));
  }

  function beginAuthenticator() {
    void act('authenticator', async () => ({ authenticatorSetup: await api.beginAuthenticator() }));
  }

  function confirmAuthenticator(code: string): Promise<boolean> {
    return act('authenticator', async () => {
      const status = await api.confirmAuthenticator(code);
      return { authenticatorSetup: undefined, notice: 'Your authenticator app is on. Every other sign-in of your account has ended.', ...(status.signedIn && { account: status.account }) };
    });
  }

  function removeAuthenticator(code: string): Promise<boolean> {
    return act('authenticator', async () => {
      const status = await api.removeAuthenticator(code);
      return { notice: 'Your authenticator app is removed: sign-ins ask for a mailed code again.', ...(status.signedIn && { account: status.account }) };
    });
  }

  function unlink(identity: LinkedSignIn) {
    void act(`unlink:${identity.issuer} ${identity.subject}`, async () => ({
      identities: await api.unlink(identity),
      notice: `Your ${identity.provider} sign-in is unlinked. Every other sign-in of your account has ended.`,
    }));
  }

  function signOut() {
    void act('sign-out', async () => (await api.signOut(), 'signed-out'));
  }

  function signOutEverywhere() {
    void act('everywhere', async () => (await api.signOutEverywhere(), 'everywhere'));
  }

  /** A change needs a recent sign-in: this one ends, and the sign-in screens show. */
  function signInAgain() {
    void act('sign-out', async () => {
      await api.signOut();
      signIn();
      return {};
    });
  }
}
