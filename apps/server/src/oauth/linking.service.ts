/**
 * Account linking's decisions, for the hosted page (interaction.controller.ts)
 * and the tools: what an interaction shows, the sign-in it opens and takes
 * over, the grant consent builds (recorded for the account page), and the
 * profile each link chose. The
 * controller only checks where a request comes from and turns these answers
 * into oidc-provider's interaction results.
 */
import { Injectable } from '@nestjs/common';
import type { InteractionDetails } from '@target-auth/shared/linking';
import type { Interaction } from 'oidc-provider';
import { AccountDirectory } from '../accounts/account-directory.js';
import { Clock } from '../common/clock.js';
import { SessionService } from '../session/session.service.js';
import { UpstreamSignIn } from '../upstream/upstream-sign-in.js';
import { clientIdentity } from './client-identity.js';
import { ConnectedApps } from './connected-apps.js';
import { Consents } from './consents.js';
import { LinkedProfiles } from './linked-profiles.js';
import { LinkingError } from './linking-error.js';
import { OAuthServer } from './oauth-server.js';

/** What oidc-provider's prompt says is still missing from the grant. */
interface MissingFromGrant {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

const SIGN_IN_AGAIN = 'Sign in again to continue.';

@Injectable()
export class LinkingService {
  constructor(
    private readonly oauth: OAuthServer,
    private readonly sessions: SessionService,
    private readonly accounts: AccountDirectory,
    private readonly consents: Consents,
    private readonly profiles: LinkedProfiles,
    private readonly clock: Clock,
    private readonly upstream: UpstreamSignIn,
    private readonly apps: ConnectedApps,
  ) {}

  /** What the page shows: the sign-in screens, or consent naming the signed-in account and who receives the code. */
  async screen(interaction: Interaction): Promise<InteractionDetails> {
    const client = await this.clientOf(interaction);
    if (interaction.prompt.name === 'login') return { prompt: 'login', client, providers: this.upstream.providers() };
    const account = await this.signedInAccount(interaction);
    return { prompt: 'consent', client, account: { name: account.name, email: account.email } };
  }

  /** Opens the sign-in session the page's screens drive (the widget's steps and limits), bound to this interaction. */
  async openSignIn(interaction: Interaction): Promise<{ sessionId: string }> {
    if (interaction.prompt.name !== 'login') throw LinkingError.wrongStep('You are already signed in.');
    const { sessionId } = await this.sessions.create({ interaction: interaction.uid });
    return { sessionId };
  }

  /**
   * Sends the page's sign-in session, still waiting for credentials, to an
   * upstream provider: the provider's URL, and the secret for the cookie that
   * ties the attempt to this browser. Its callback brings the browser back to
   * this interaction.
   */
  async beginUpstream(interaction: Interaction, sessionId: string, provider: string): Promise<{ url: string; browserSecret: string }> {
    if (interaction.prompt.name !== 'login') throw LinkingError.wrongStep('You are already signed in.');
    return this.upstream.begin(sessionId, provider, interaction.uid);
  }

  /**
   * Takes over the page's signed-in session as the interaction's login (the
   * session ends here) and remembers the profile chosen for this app. Only a
   * session this interaction opened is taken; any other gets the same refusal
   * and is left as it was.
   */
  async login(interaction: Interaction, sessionId: string): Promise<{ login: { accountId: string; ts: number } }> {
    const signedIn = sessionId ? await this.sessions.handOver(sessionId, interaction.uid) : null;
    if (!signedIn) throw LinkingError.notSignedIn('Sign in first.');
    await this.profiles.remember(signedIn.accountId, clientIdOf(interaction), signedIn.profile);
    // The login counts from the credentials epoch it was made under (never before it: see findAccount).
    const ts = Math.max(Math.floor(this.clock.now() / 1000), signedIn.epoch);
    return { login: { accountId: signedIn.accountId, ts } };
  }

  /**
   * Consent: the interaction's grant (or a new one) given what the prompt
   * found missing (`account:read` on this server's MCP endpoint), remembered
   * for this account, app and redirect URI.
   */
  async consent(interaction: Interaction): Promise<{ consent: { grantId: string } }> {
    if (interaction.prompt.name !== 'consent' || !interaction.session?.accountId) throw LinkingError.wrongStep('Sign in first.');
    // Disabled since signing in: no grant for it.
    const { id: accountId } = await this.signedInAccount(interaction);
    const { Grant } = await this.oauth.provider();
    const clientId = clientIdOf(interaction);
    const grant = (interaction.grantId ? await Grant.find(interaction.grantId) : undefined) ?? new Grant({ accountId, clientId });
    const missing = interaction.prompt.details as MissingFromGrant;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    const redirectUri = String(interaction.params['redirect_uri']);
    await this.consents.remember({ accountId, clientId, redirectUri }, grantId);
    const scopes = [grant.getOIDCScope(), ...Object.keys(grant.resources ?? {}).map((resource) => grant.getResourceScope(resource))].join(' ').split(' ').filter(Boolean);
    await this.apps.remember(accountId, { grantId, clientId, redirectUri, client: await this.clientOf(interaction), scopes, linkedAt: this.clock.now() });
    return { consent: { grantId } };
  }

  /** The household profile chosen when this account was linked to this app; null when none was. */
  profileFor(accountId: string, clientId: string): Promise<string | null> {
    return this.profiles.find(accountId, clientId);
  }

  private async signedInAccount(interaction: Interaction) {
    const accountId = interaction.session?.accountId;
    const account = accountId ? await this.accounts.findById(accountId) : null;
    if (!account) throw LinkingError.notSignedIn(SIGN_IN_AGAIN);
    return account;
  }

  /** Who the consent screen names: by who receives the code (client-identity.ts). */
  private async clientOf(interaction: Interaction): Promise<InteractionDetails['client']> {
    const clientId = clientIdOf(interaction);
    const provider = await this.oauth.provider();
    const client = await provider.Client.find(clientId).catch(() => undefined);
    return clientIdentity({ clientId, redirectUri: String(interaction.params['redirect_uri']), registeredName: client?.clientName });
  }
}

const clientIdOf = (interaction: Interaction): string => String(interaction.params['client_id']);
