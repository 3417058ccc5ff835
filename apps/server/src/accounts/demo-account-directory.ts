import { Injectable } from '@nestjs/common';
import type { ProfileChoice } from '@target-auth/shared/tools';
import { AppConfig } from '../config/app-config.js';
import { type Account, AccountDirectory, type IdentityResolution, type LinkedIdentity, type Unlinked, type UpstreamIdentity } from './account-directory.js';
import { checkPasswordPolicy } from './passwords.js';

const DEMO_PREFIX = 'demo:';
/** Names given by upstream sign-ins, remembered for their e-mails; the oldest go first. */
const MAX_NAMES = 1000;

/**
 * Demo mode: any well-formed email with any non-empty password is accepted.
 * The name is the one an upstream sign-in last gave for that e-mail (kept in
 * this process), else `DEMO_USERS`'s, else the default demo identity's. A new
 * password only has to pass the policy. "Sign out everywhere" moves an
 * account's epoch on in this process; nothing else is stored.
 */
@Injectable()
export class DemoAccountDirectory extends AccountDirectory {
  override readonly keepsAuthenticators = false;
  private readonly named = new Map<string, string>();
  /** Credentials epochs moved on by "sign out everywhere", per account id; the oldest go first. */
  private readonly epochs = new Map<string, number>();

  constructor(private readonly config: AppConfig) {
    super();
  }

  async verifyCredentials(email: string, password: string): Promise<Account | null> {
    if (password.length === 0) return null;
    return this.findForRecovery(email);
  }

  async findForRecovery(email: string): Promise<Account | null> {
    const demo = this.config.demo;
    const name = this.named.get(email.toLowerCase()) ?? demo.users[email.toLowerCase()]?.name ?? demo.defaultName;
    const id = `${DEMO_PREFIX}${email.toLowerCase()}`;
    return { id, email, name, secondFactor: 'email', epoch: this.epochs.get(id) ?? 0 };
  }

  /** Demo ids are `demo:` and the e-mail (any e-mail is a demo account). */
  async findById(accountId: string): Promise<Account | null> {
    const email = accountId.startsWith(DEMO_PREFIX) ? accountId.slice(DEMO_PREFIX.length) : '';
    return email.includes('@') ? this.findForRecovery(email) : null;
  }

  /** Nothing is stored, so nothing signed in before ends: the epoch stays 0. */
  async setPassword(_accountId: string, email: string, password: string): Promise<number> {
    await checkPasswordPolicy(password, email);
    return 0;
  }

  /** Kept in this process only, like the names: the next second, or one past the last. */
  async endSignIns(accountId: string): Promise<number> {
    const epoch = Math.max(Math.floor(Date.now() / 1000) + 1, (this.epochs.get(accountId) ?? 0) + 1);
    this.epochs.delete(accountId);
    this.epochs.set(accountId, epoch);
    if (this.epochs.size > MAX_NAMES) this.epochs.delete(this.epochs.keys().next().value!);
    return epoch;
  }

  /** Demo mode has no limits for a trusted browser to be spared from. */
  async isTrustedDevice(): Promise<boolean> {
    return false;
  }

  async trustDevice(): Promise<void> {}

  async profiles(): Promise<ProfileChoice[]> {
    return [];
  }

  /** Demo mode keeps no households. */
  async addProfile(): Promise<null> {
    return null;
  }

  async verifyTotp(): Promise<boolean> {
    return false;
  }

  /** Any identity is a demo account: its e-mail (or one made from its subject) and the name it gave. */
  async resolveIdentity(identity: UpstreamIdentity): Promise<IdentityResolution> {
    const email = identity.email ?? `${identity.subject.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40) || 'someone'}@demo.example`;
    if (identity.name) this.name(email.toLowerCase(), identity.name);
    return { kind: 'linked', account: (await this.findForRecovery(email))! };
  }

  async linkIdentity(): Promise<boolean> {
    return true;
  }

  /** Any password works for a demo account. */
  async hasPassword(): Promise<boolean> {
    return true;
  }

  /** Demo mode keeps no authenticator apps. */
  async setAuthenticator(): Promise<number | null> {
    return null;
  }

  /** Demo mode keeps no identities: any identity signs in to the demo account of its e-mail. */
  async linkedIdentities(): Promise<LinkedIdentity[]> {
    return [];
  }

  async unlinkIdentity(): Promise<Unlinked> {
    return { unlinked: false, reason: 'not_found' };
  }

  private name(email: string, name: string): void {
    this.named.delete(email);
    this.named.set(email, name);
    if (this.named.size > MAX_NAMES) this.named.delete(this.named.keys().next().value!);
  }
}
