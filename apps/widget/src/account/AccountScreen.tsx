/**
 * The signed-in account page: who is signed in, the apps that can act for
 * the account (Revoke asks once more, then ends the app's access at once),
 * and signing out here or everywhere.
 */
import { useState } from 'react';
import type { AccountOverview, AuthenticatorSetup, ConnectedApp, LinkedSignIn, PasskeyView } from '@target-auth/shared/account';
import { PasskeysSection } from './PasskeysSection';
import { ProfilesSection } from './ProfilesSection';
import { AuthenticatorForm } from './AuthenticatorForm';
import { ChangePasswordForm } from './ChangePasswordForm';

export interface AccountScreenState {
  /** Undefined while they load. */
  apps: ConnectedApp[] | undefined;
  /** Linked Google, Microsoft and OpenID sign-ins; undefined while they load. */
  identities: LinkedSignIn[] | undefined;
  /** The account's passkeys; undefined while they load. */
  passkeys: PasskeyView[] | undefined;
  /** The household's profiles; undefined while they load. */
  profiles: string[] | undefined;
  /** The action under way: `revoke:{clientId}`, `unlink:{issuer} {subject}`, `profile`, `passkey`, `passkey:{id}`, `authenticator`, `password`, `sign-out` or `everywhere`. */
  busy: string | null;
  error?: string | undefined;
  /** `recent`: the change needs a new sign-in, offered with the error. */
  errorKind?: 'recent' | 'other' | undefined;
  /** What the last action did. */
  notice?: string | undefined;
  /** An authenticator app being set up: its QR code and key. */
  authenticatorSetup?: AuthenticatorSetup | undefined;
}

export interface AccountScreenProps extends AccountScreenState {
  account: AccountOverview;
  onRevoke: (app: ConnectedApp) => void;
  onSignOut: () => void;
  onSignOutEverywhere: () => void;
  onSignInAgain: () => void;
  /** Resolves true once the password is changed (the form then closes). */
  onChangePassword: (current: string, password: string) => Promise<boolean>;
  onUnlink: (identity: LinkedSignIn) => void;
  onBeginAuthenticator: () => void;
  canAddPasskeys: boolean;
  onAddPasskey: (name: string) => Promise<boolean>;
  onRenamePasskey: (passkey: PasskeyView, name: string) => Promise<boolean>;
  onRemovePasskey: (passkey: PasskeyView) => void;
  /** Resolves true once added (the form then closes). */
  onAddProfile: (name: string) => Promise<boolean>;
  /** Resolves true once done (the form then closes). */
  onConfirmAuthenticator: (code: string) => Promise<boolean>;
  onRemoveAuthenticator: (code: string) => Promise<boolean>;
  onCancelAuthenticator: () => void;
}

const when = (at: number): string => new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function AccountScreen(props: AccountScreenProps) {
  const { account, apps, identities, busy, error, errorKind, notice, authenticatorSetup, onRevoke, onSignOut, onSignOutEverywhere, onSignInAgain, onChangePassword, onUnlink } = props;
  const [confirming, setConfirming] = useState<string | null>(null);
  const [confirmingEverywhere, setConfirmingEverywhere] = useState(false);
  const [changingPassword, setChangingPassword] = useState(false);
  const [removingAuthenticator, setRemovingAuthenticator] = useState(false);
  return (
    <section className="screen account" aria-labelledby="account-title">
      <h1 id="account-title">Your Target account</h1>
      <p className="muted">
        Signed in as <strong>{account.name}</strong> ({account.email}){account.profile ? `, profile ${account.profile}` : ''}
      </p>
      {notice ? (
        <p className="status" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <div className="form-error" role="alert">
          <p>{error}</p>
          {errorKind === 'recent' ? (
            <button type="button" className="link" onClick={onSignInAgain} disabled={busy !== null}>
              Sign in again
            </button>
          ) : null}
        </div>
      ) : null}

      <h2>Connected apps</h2>
      {apps === undefined ? (
        <p className="waiting" role="status">
          <span className="spinner" aria-hidden="true" /> Loading your apps…
        </p>
      ) : apps.length === 0 ? (
        <p className="muted">No apps can use your account. Apps you connect (like ChatGPT or Claude) show here.</p>
      ) : (
        <ul className="apps" aria-label="Connected apps">
          {apps.map((app) => (
            <li key={app.clientId} className="app">
              <p className="app-name">
                <strong>{app.client.name}</strong>
                {app.client.verified ? null : <span className="unverified"> (name not verified)</span>}
              </p>
              <p className="hint">Sends sign-ins to {app.client.redirectHost}</p>
              <p className="hint">Can: {app.access.length > 0 ? app.access.join('; ') : 'nothing beyond knowing you linked it'}</p>
              <p className="hint">
                Connected {when(app.linkedAt)} · {app.lastUsedAt === null ? 'not used since' : `last used ${when(app.lastUsedAt)}`}
              </p>
              {confirming === app.clientId ? (
                <div className="confirm" role="group" aria-label={`Revoke ${app.client.name}?`}>
                  <p>{app.client.name} will lose access at once. To use it again, you will connect it again.</p>
                  <button type="button" className="danger" disabled={busy !== null} onClick={() => onRevoke(app)} autoFocus>
                    {busy === `revoke:${app.clientId}` ? <span className="spinner" aria-hidden="true" /> : null}
                    {busy === `revoke:${app.clientId}` ? 'Revoking…' : 'Revoke access'}
                  </button>
                  <button type="button" className="link" disabled={busy !== null} onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </div>
              ) : (
                <button type="button" className="secondary" disabled={busy !== null} onClick={() => setConfirming(app.clientId)}>
                  Revoke<span className="visually-hidden"> {app.client.name}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}

      <ProfilesSection profiles={props.profiles} busy={busy} onAdd={props.onAddProfile} />

      <h2>Sign-in and security</h2>
      {changingPassword ? (
        <ChangePasswordForm
          busy={busy === 'password'}
          onSubmit={(current, password) => void onChangePassword(current, password).then((done) => done && setChangingPassword(false))}
          onCancel={() => setChangingPassword(false)}
        />
      ) : (
        <button type="button" className="secondary" disabled={busy !== null} onClick={() => setChangingPassword(true)}>
          Change password…
        </button>
      )}
      {confirmingEverywhere ? (
        <div className="confirm" role="group" aria-label="Sign out everywhere?">
          <p>This ends every sign-in of your account: chats, connected apps and browsers, this page included.</p>
          <button type="button" className="danger" disabled={busy !== null} onClick={onSignOutEverywhere} autoFocus>
            {busy === 'everywhere' ? <span className="spinner" aria-hidden="true" /> : null}
            {busy === 'everywhere' ? 'Signing out…' : 'Sign out everywhere'}
          </button>
          <button type="button" className="link" disabled={busy !== null} onClick={() => setConfirmingEverywhere(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="secondary" disabled={busy !== null} onClick={() => setConfirmingEverywhere(true)}>
          Sign out everywhere…
        </button>
      )}
      <PasskeysSection
        passkeys={props.passkeys}
        busy={busy}
        canAdd={props.canAddPasskeys}
        when={when}
        onAdd={props.onAddPasskey}
        onRename={props.onRenamePasskey}
        onRemove={props.onRemovePasskey}
      />
      <h3>Authenticator app</h3>
      <p className="muted">
        {account.authenticator ? 'On: sign-ins ask for a code from your authenticator app.' : 'Off: sign-ins ask for a code mailed to you.'}
      </p>
      {authenticatorSetup ? (
        <AuthenticatorForm setup={authenticatorSetup} busy={busy === 'authenticator'} onSubmit={(code) => void props.onConfirmAuthenticator(code)} onCancel={props.onCancelAuthenticator} />
      ) : removingAuthenticator ? (
        <AuthenticatorForm
          busy={busy === 'authenticator'}
          onSubmit={(code) => void props.onRemoveAuthenticator(code).then((done) => done && setRemovingAuthenticator(false))}
          onCancel={() => setRemovingAuthenticator(false)}
        />
      ) : account.authenticator ? (
        <button type="button" className="secondary" disabled={busy !== null} onClick={() => setRemovingAuthenticator(true)}>
          Remove authenticator app…
        </button>
      ) : (
        <button type="button" className="secondary" disabled={busy !== null} onClick={props.onBeginAuthenticator}>
          {busy === 'authenticator' ? <span className="spinner" aria-hidden="true" /> : null}
          Set up an authenticator app…
        </button>
      )}
      {identities && identities.length > 0 ? (
        <>
          <h3>Linked sign-ins</h3>
          <ul className="apps">
            {identities.map((identity) => {
              const key = `${identity.issuer} ${identity.subject}`;
              return (
                <li key={key} className="app">
                  <p className="app-name">
                    <strong>{identity.provider}</strong>
                    {identity.email ? ` · ${identity.email}` : null}
                  </p>
                  <p className="hint">
                    Linked {when(identity.linkedAt)} · last used {when(identity.lastUsedAt)}
                  </p>
                  {confirming === key ? (
                    <div className="confirm" role="group" aria-label={`Unlink ${identity.provider}?`}>
                      <p>You will no longer sign in with this {identity.provider} account. Every other sign-in of your account ends.</p>
                      <button type="button" className="danger" disabled={busy !== null} onClick={() => onUnlink(identity)} autoFocus>
                        {busy === `unlink:${key}` ? <span className="spinner" aria-hidden="true" /> : null}
                        {busy === `unlink:${key}` ? 'Unlinking…' : 'Unlink'}
                      </button>
                      <button type="button" className="link" disabled={busy !== null} onClick={() => setConfirming(null)}>
                        Cancel
                      </button>
                    </div>
                  ) : (
                    <button type="button" className="secondary" disabled={busy !== null} onClick={() => setConfirming(key)}>
                      Unlink<span className="visually-hidden"> {identity.provider} {identity.email ?? ''}</span>
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      <button type="button" className="link" disabled={busy !== null} onClick={onSignOut}>
        Sign out
      </button>
    </section>
  );
}
