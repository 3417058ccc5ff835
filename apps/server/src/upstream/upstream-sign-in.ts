/**
 * Upstream sign-in as the pages use it: the configured providers (their
 * buttons), beginning an attempt for a sign-in session (the provider's URL and
 * the browser cookie's secret), and its callback, checked by the provider's
 * relying party and carried into the session by UpstreamStep.
 */
import { Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { PASSKEY_HAND_OFF } from '@target-auth/shared/linking';
import { CALLBACK_PATH, PASSKEY_PATH, START_PATH } from '../config/upstream.js';

export { CALLBACK_PATH, START_PATH };
import { StepError } from '../session/step-error.js';
import { type UpstreamFinished, UpstreamStep } from '../session/upstream.step.js';
import { passCookie, UpstreamHandOffStep } from '../session/upstream-hand-off.js';
import { DemoIdp } from './demo-idp.js';
import { RelyingParty } from './relying-party.js';

/** What tests may replace: how the server reaches providers (they map Microsoft's origin to a local one). */
export abstract class UpstreamOverrides {
  upstreamFetch?: typeof fetch;
}

/** A provider as a sign-in page shows it. */
export interface ProviderButton {
  id: string;
  name: string;
}

/** A chat's start link, and the code its page asks for (session/upstream-hand-off.ts). */
export interface StartLink {
  provider: ProviderButton;
  url: string;
  code: string;
  expiresAt: number;
}

/** The cookie that ties an attempt to the browser that began it. */
export const UPSTREAM_COOKIE = 'target_upstream';

/**
 * The `Set-Cookie` that ties an attempt to this browser, sent back only to the
 * callback and kept as long as a session lives; without a secret, the one
 * that clears it once its attempt is spent.
 */
export function upstreamCookie(config: AppConfig, browserSecret?: string): string {
  const secure = config.publicUrl.startsWith('https:') ? '; Secure' : '';
  const maxAge = browserSecret === undefined ? 0 : Math.ceil(config.sessionTtlMs / 1000);
  return `${UPSTREAM_COOKIE}=${browserSecret ?? ''}; Path=${CALLBACK_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

@Injectable()
export class UpstreamSignIn {
  private readonly parties = new Map<string, RelyingParty>();

  private readonly startUrl: string;
  private readonly origin: string;

  constructor(
    private readonly config: AppConfig,
    private readonly step: UpstreamStep,
    private readonly handOff: UpstreamHandOffStep,
    demo: DemoIdp,
    @Optional() overrides?: UpstreamOverrides,
  ) {
    this.startUrl = `${config.publicUrl}${START_PATH}`;
    this.origin = new URL(config.publicUrl).origin;
    // Demo mode's Demo ID comes after the providers configured.
    for (const provider of [...config.upstream.providers, ...(demo.provider ? [demo.provider] : [])]) {
      this.parties.set(provider.id, new RelyingParty(provider, `${config.publicUrl}${CALLBACK_PATH}/${provider.id}`, overrides?.upstreamFetch));
    }
  }

  /** The configured providers, in button order. */
  providers(): ProviderButton[] {
    return [...this.parties.values()].map(({ provider }) => ({ id: provider.id, name: provider.name }));
  }

  /** Begins a sign-in at `providerId` for a session waiting for credentials: the provider's URL, and the secret for the browser's cookie. */
  async begin(sessionId: string, providerId: string, interaction?: string): Promise<{ url: string; browserSecret: string }> {
    const party = this.party(providerId);
    // A provider that cannot be reached changes nothing: the session still waits for credentials.
    await party.ready();
    const { attempt, browserSecret } = await this.step.begin(sessionId, providerId, interaction);
    return { url: (await party.authorizationUrl(attempt)).href, browserSecret };
  }

  /**
   * For a chat (which cannot send its browser anywhere): a start link to open
   * in the person's browser, and the code that page asks for. `passkey`
   * (PASSKEY_HAND_OFF) leads to this server's passkey page instead of a provider.
   */
  async startLink(sessionId: string, providerId: string): Promise<StartLink> {
    const provider = providerId === PASSKEY_HAND_OFF.id ? PASSKEY_HAND_OFF : await this.readyParty(providerId);
    const { link, code, expiresAt } = await this.handOff.start(sessionId, provider.id);
    return { provider, url: `${this.startUrl}/${link}`, code, expiresAt };
  }

  /** Where a start link leads, and that place's origin (where the start page's form ends up), while the link can be used. */
  async startPage(link: string): Promise<{ provider: ProviderButton; origin: string }> {
    const providerId = await this.handOff.provider(link);
    if (providerId === PASSKEY_HAND_OFF.id) return { provider: PASSKEY_HAND_OFF, origin: this.origin };
    const party = this.party(providerId);
    return { provider: { id: party.provider.id, name: party.provider.name }, origin: await party.authorizationOrigin() };
  }

  /** The start page's code: when right, where its browser goes next (the provider, or the passkey page) and the cookie that binds the sign-in to it. */
  async claim(link: string, code: string): Promise<{ url: string; cookie: string }> {
    const claimed = await this.handOff.claim(link, code);
    if (claimed.to === 'passkey') return { url: `${this.config.publicUrl}${PASSKEY_PATH}`, cookie: passCookie(this.config, claimed.pass) };
    return { url: (await this.party(claimed.provider).authorizationUrl(claimed.attempt)).href, cookie: upstreamCookie(this.config, claimed.browserSecret) };
  }

  /** The chat gave up on its upstream sign-in. */
  cancel(sessionId: string): Promise<void> {
    return this.handOff.cancel(sessionId);
  }

  /** Completes the attempt a callback URL names, in the browser whose cookie holds `browserSecret`. */
  callback(providerId: string, url: URL, browserSecret: string | undefined): Promise<UpstreamFinished> {
    const party = this.party(providerId);
    const state = url.searchParams.get('state') ?? '';
    return this.step.finish(state, providerId, browserSecret, (attempt) => party.complete(url, attempt));
  }

  private async readyParty(providerId: string): Promise<ProviderButton> {
    const party = this.party(providerId);
    await party.ready();
    return { id: party.provider.id, name: party.provider.name };
  }

  private party(providerId: string): RelyingParty {
    const party = this.parties.get(providerId);
    if (!party) throw new StepError('invalid_input', 'There is no such sign-in provider here.');
    return party;
  }
}
