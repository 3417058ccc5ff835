/**
 * The account page's decisions (account-page.controller.ts checks where each
 * request comes from and carries the cookies). The page signs in with the
 * same session steps and limits as the widget, on a session bound to this
 * browser; once signed in, it sees the account, the apps linked to it, and
 * ends their access or every sign-in of the account, and changes its
 * password. A sign-in of the last ten minutes is needed for changes that end
 * sign-ins.
 */
import { Injectable } from '@nestjs/common';
import { type AccountFailure, type AccountStatus, type AuthenticatorSetup, type ConnectedApp, type LinkedSignIn, type PasskeyView, RECENT_SIGN_IN_MS } from '@target-auth/shared/account';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { type Account, AccountDirectory } from '../accounts/account-directory.js';
import { Clock } from '../common/clock.js';
import { ConnectedApps } from '../oauth/connected-apps.js';
import { PasskeyStore, type StoredPasskey } from '../accounts/passkey-store.js';
import { Passkeys } from '../accounts/passkeys.js';
import { WeakPasswordError } from '../accounts/passwords.js';
import { matchingTotpStep, newTotpSecret } from '../accounts/totp.js';
import { PasswordAttempts } from '../session/password-attempts.js';
import { SessionService } from '../session/session.service.js';
import { StepError } from '../session/step-error.js';
import { UpstreamSignIn } from '../upstream/upstream-sign-in.js';
import type { PageSignIn } from './account-cookies.js';

/** A refused request of the account page, with its status and `{ error, message }`. */
export class AccountPageError extends Error {
  override name = 'AccountPageError';

  constructor(
    readonly status: number,
    readonly failure: AccountFailure,
  ) {
    super(failure.message);
  }
}

export const SIGN_IN_FIRST = 'Sign in to see your account.';
const noSuchPasskey = () => new AccountPageError(404, { error: 'not_found', message: 'That passkey is not registered for your account.' });
/** A passkey's name as typed, trimmed to 40 characters; "Passkey" when none. */
const passkeyName = (name: string): string => [...name.trim()].slice(0, 40).join('') || 'Passkey';
const passkeyView = ({ id, name, backedUp, createdAt, lastUsedAt }: StoredPasskey): PasskeyView => ({ id, name, synced: backedUp, createdAt, lastUsedAt });
const wrongCode = () => new AccountPageError(401, { error: 'wrong_code', message: "That code doesn't match your authenticator app. Try the current one." });
const noAuthenticators = () => new AccountPageError(409, { error: 'not_available', message: 'Demo mode has no authenticator apps. Sign in to a real account to set one up.' });
const MAX_PROFILE_NAME = 100;
export const SIGN_IN_AGAIN = 'For your security, sign in again to make this change.';

/** The interaction a page's sign-in is bound to: its browser's binding cookie. */
export const boundTo = (binding: string | undefined): string => `account:${binding ?? ''}`;
const bound = boundTo;

@Injectable()
export class AccountPageService {
  constructor(
    private readonly sessions: SessionService,
    private readonly accounts: AccountDirectory,
    private readonly apps: ConnectedApps,
    private readonly clock: Clock,
    private readonly passwords: PasswordAttempts,
    private readonly upstream: UpstreamSignIn,
    private readonly passkeys: Passkeys,
    private readonly passkeyStore: PasskeyStore,
  ) {}

  /** Opens a sign-in for the page, bound to the browser holding `binding`. */
  async openSignIn(binding: string): Promise<{ sessionId: string }> {
    const { sessionId } = await this.sessions.create({ interaction: bound(binding) });
    return { sessionId };
  }

  /** Takes over the page's signed-in session (it ends here): who the page is now signed in as. */
  async signIn(sessionId: string, binding: string | undefined): Promise<PageSignIn> {
    const handed = sessionId && binding ? await this.sessions.handOver(sessionId, bound(binding)) : null;
    if (!handed) throw new AccountPageError(401, { error: 'not_signed_in', message: 'That sign-in did not finish here. Sign in again.' });
    return { accountId: handed.accountId, profile: handed.profile, epoch: handed.epoch, at: this.clock.now() };
  }

  /** What the page shows for its sign-in: the account, or signed out (none, disabled, or ended by a change since). */
  async status(signIn: PageSignIn | undefined): Promise<AccountStatus> {
    const account = signIn && (await this.current(signIn));
    if (!signIn || !account) return { signedIn: false };
    return {
      signedIn: true,
      account: { name: account.name, email: account.email, profile: signIn.profile, authenticator: account.secondFactor === 'totp', recentUntil: signIn.at + RECENT_SIGN_IN_MS },
    };
  }

  async connectedApps(signIn: PageSignIn | undefined): Promise<ConnectedApp[]> {
    const account = await this.required(signIn);
    return this.apps.list(account.id);
  }

  /** Ends one app's access at once; the apps left. */
  async revoke(signIn: PageSignIn | undefined, clientId: string): Promise<ConnectedApp[]> {
    const account = await this.required(signIn);
    if (!clientId || !(await this.apps.revoke(account.id, clientId))) {
      throw new AccountPageError(404, { error: 'not_found', message: 'That app is not connected to your account.' });
    }
    return this.apps.list(account.id);
  }

  /** Ends every sign-in of the account, this page's too. */
  async signOutEverywhere(signIn: PageSignIn | undefined): Promise<void> {
    const account = await this.recentlySigned(signIn);
    await this.accounts.endSignIns(account.id);
  }

  /**
   * A new password, the current one given (a wrong one counts against the
   * account's password limits, as at sign-in). Every other sign-in of the
   * account ends, as a reset does; the page stays signed in under the new
   * credentials: its new sign-in.
   */
  async changePassword(signIn: PageSignIn | undefined, current: string, password: string): Promise<PageSignIn> {
    const account = await this.recentlySigned(signIn);
    const attempt = await this.passwords.reserve(account.email, null, undefined).catch((error: unknown) => {
      if (error instanceof StepError && (error.code === 'rate_limited' || error.code === 'challenge_required')) {
        throw new AccountPageError(429, { error: 'rate_limited', message: 'Too many wrong passwords. Sign in again in a while, then try again.' });
      }
      throw error;
    });
    const checked = current ? await this.accounts.verifyCredentials(account.email, current) : null;
    if (checked?.id !== account.id) throw new AccountPageError(401, { error: 'wrong_password', message: 'That is not your current password.' });
    await attempt.succeeded();
    try {
      const epoch = await this.accounts.setPassword(account.id, account.email, password);
      return { ...signIn!, epoch };
    } catch (error) {
      if (error instanceof WeakPasswordError) throw new AccountPageError(422, { error: 'weak_password', message: error.message });
      throw error;
    }
  }

  /** The Google, Microsoft and OpenID sign-ins linked to the account, named as the sign-in buttons name their providers. */
  async linkedSignIns(signIn: PageSignIn | undefined): Promise<LinkedSignIn[]> {
    const account = await this.required(signIn);
    const names = new Map(this.upstream.providers().map((provider) => [provider.id, provider.name]));
    return (await this.accounts.linkedIdentities(account.id)).map((identity) => ({ ...identity, provider: names.get(identity.provider) ?? identity.provider }));
  }

  /**
   * Unlinks one, never the account's last way in. Every other sign-in of the
   * account ends; the page stays signed in under the new epoch: its new sign-in.
   */
  async unlink(signIn: PageSignIn | undefined, issuer: string, subject: string): Promise<PageSignIn> {
    const account = await this.recentlySigned(signIn);
    const outcome = await this.accounts.unlinkIdentity(account.id, { issuer, subject });
    if (outcome.unlinked) return { ...signIn!, epoch: outcome.epoch };
    if (outcome.reason === 'last_way_in') {
      throw new AccountPageError(409, { error: 'last_way_in', message: 'This is your only way to sign in. Set a password first: sign in with “Forgot password?”.' });
    }
    throw new AccountPageError(404, { error: 'not_found', message: 'That sign-in is not linked to your account.' });
  }

  /**
   * Begins setting up an authenticator app: a new secret, its URI and QR code
   * to scan. Nothing changes until the app's first code confirms it.
   */
  async beginAuthenticator(signIn: PageSignIn | undefined): Promise<{ accountId: string; setup: AuthenticatorSetup }> {
    const account = await this.recentlySigned(signIn);
    if (account.secondFactor === 'totp') throw new AccountPageError(409, { error: 'invalid_request', message: 'Your account already uses an authenticator app. Remove it first.' });
    if (!this.accounts.keepsAuthenticators) throw noAuthenticators();
    const { secret, uri } = newTotpSecret(account.email);
    const { default: qrcode } = await import('qrcode');
    const svg = await qrcode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    return { accountId: account.id, setup: { secret, uri, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` } };
  }

  /** The app's first code confirms it: from now on sign-ins ask for its codes, and every other sign-in ends. */
  async confirmAuthenticator(signIn: PageSignIn | undefined, secret: string | undefined, code: string): Promise<PageSignIn> {
    const account = await this.recentlySigned(signIn);
    if (!secret) throw new AccountPageError(409, { error: 'invalid_request', message: 'That setup is over. Start it again.' });
    if (matchingTotpStep(secret, account.email, code, this.clock.now()) === null) throw wrongCode();
    const epoch = await this.accounts.setAuthenticator(account.id, secret);
    if (epoch === null) throw noAuthenticators();
    return { ...signIn!, epoch };
  }

  /** Back to mailed codes, with a code from the app; every other sign-in ends. */
  async removeAuthenticator(signIn: PageSignIn | undefined, code: string): Promise<PageSignIn> {
    const account = await this.recentlySigned(signIn);
    if (account.secondFactor !== 'totp') throw new AccountPageError(409, { error: 'invalid_request', message: 'Your account does not use an authenticator app.' });
    if (!(await this.accounts.verifyTotp(account.id, code))) throw wrongCode();
    const epoch = await this.accounts.setAuthenticator(account.id, null);
    return { ...signIn!, epoch: epoch ?? signIn!.epoch };
  }

  /** The household's profile names, in the order sign-in offers them. */
  async profileNames(signIn: PageSignIn | undefined): Promise<string[]> {
    const account = await this.required(signIn);
    return (await this.accounts.profiles(account.id)).map((profile) => profile.name);
  }

  /** Adds a household profile (as `pnpm accounts profile add` does): sign-in offers it from the next sign-in on. */
  async addProfile(signIn: PageSignIn | undefined, name: string): Promise<string[]> {
    const account = await this.required(signIn);
    const trimmed = name.trim();
    if ([...trimmed].length === 0 || [...trimmed].length > MAX_PROFILE_NAME) {
      throw new AccountPageError(400, { error: 'invalid_request', message: `Name the profile in 1 to ${MAX_PROFILE_NAME} characters.` });
    }
    const added = await this.accounts.addProfile(account.id, trimmed);
    if (added === null) throw new AccountPageError(409, { error: 'not_available', message: 'Demo mode has no household profiles. Sign in to a real account to add one.' });
    if (added === 'duplicate') throw new AccountPageError(409, { error: 'invalid_request', message: `Your account already has a profile named ${trimmed}.` });
    return added.map((profile) => profile.name);
  }

  /** The account's passkeys, oldest first. */
  async passkeyList(signIn: PageSignIn | undefined): Promise<PasskeyView[]> {
    const account = await this.required(signIn);
    return (await this.passkeyStore.list(account.id)).map(passkeyView);
  }

  /** Begins registering a passkey: the options for the browser (their challenge is the caller's to keep). */
  async passkeyOptions(signIn: PageSignIn | undefined): Promise<{ accountId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
    const account = await this.recentlySigned(signIn);
    return { accountId: account.id, options: await this.passkeys.registrationOptions(account) };
  }

  /** Keeps the browser's new passkey, checked against the challenge given, under the name typed. */
  async addPasskey(signIn: PageSignIn | undefined, challenge: string | undefined, response: unknown, name: string): Promise<PasskeyView[]> {
    const account = await this.recentlySigned(signIn);
    if (!challenge) throw new AccountPageError(409, { error: 'invalid_request', message: 'That passkey setup is over. Start it again.' });
    await this.passkeys.register(account, response, challenge, passkeyName(name));
    return this.passkeyList(signIn);
  }

  async renamePasskey(signIn: PageSignIn | undefined, id: string, name: string): Promise<PasskeyView[]> {
    const account = await this.required(signIn);
    if (!(await this.passkeyStore.rename(account.id, id, passkeyName(name)))) throw noSuchPasskey();
    return this.passkeyList(signIn);
  }

  /** Removes a passkey (it signs in no more), never the account's last way in. */
  async removePasskey(signIn: PageSignIn | undefined, id: string): Promise<PasskeyView[]> {
    const account = await this.recentlySigned(signIn);
    const [own, identities, hasPassword] = await Promise.all([this.passkeyStore.list(account.id), this.accounts.linkedIdentities(account.id), this.accounts.hasPassword(account.id)]);
    if (!own.some((passkey) => passkey.id === id)) throw noSuchPasskey();
    if (!hasPassword && identities.length === 0 && own.length === 1) {
      throw new AccountPageError(409, { error: 'last_way_in', message: 'This passkey is your only way to sign in. Set a password first: sign in with “Forgot password?”.' });
    }
    if (!(await this.passkeyStore.remove(account.id, id))) throw noSuchPasskey();
    return this.passkeyList(signIn);
  }

  private async required(signIn: PageSignIn | undefined): Promise<Account> {
    const account = signIn && (await this.current(signIn));
    if (!account) throw new AccountPageError(401, { error: 'not_signed_in', message: SIGN_IN_FIRST });
    return account;
  }

  /** The account, for a change that needs a sign-in of the last ten minutes. */
  private async recentlySigned(signIn: PageSignIn | undefined): Promise<Account> {
    const account = await this.required(signIn);
    if (this.clock.now() - signIn!.at > RECENT_SIGN_IN_MS) {
      throw new AccountPageError(403, { error: 'recent_sign_in_required', message: SIGN_IN_AGAIN });
    }
    return account;
  }

  /** The page's account while its sign-in counts: active, and no change to its credentials since. */
  private async current(signIn: PageSignIn): Promise<Account | null> {
    const account = await this.accounts.findById(signIn.accountId);
    return account && account.epoch <= signIn.epoch ? account : null;
  }
}
