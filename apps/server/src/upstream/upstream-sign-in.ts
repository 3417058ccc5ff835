/**
 * Upstream sign-in as the pages use it: the configured providers (their
 * buttons), beginning an attempt for a sign-in session (the provider's URL and
 * the browser cookie's secret), and its callback, checked by the provider's
 * relying party and carried into the session by UpstreamStep.
 */
import { Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { CALLBACK_PATH } from '../config/upstream.js';

export { CALLBACK_PATH };
import { StepError } from '../session/step-error.js';
import { type UpstreamFinished, UpstreamStep } from '../session/upstream.step.js';
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

/** The cookie that ties an attempt to the browser that began it. */
export const UPSTREAM_COOKIE = 'target_upstream';

@Injectable()
export class UpstreamSignIn {
  private readonly parties = new Map<string, RelyingParty>();

  constructor(
    config: AppConfig,
    private readonly step: UpstreamStep,
    @Optional() overrides?: UpstreamOverrides,
  ) {
    for (const provider of config.upstream.providers) {
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

  /** Completes the attempt a callback URL names, in the browser whose cookie holds `browserSecret`. */
  callback(providerId: string, url: URL, browserSecret: string | undefined): Promise<UpstreamFinished> {
    const party = this.party(providerId);
    const state = url.searchParams.get('state') ?? '';
    return this.step.finish(state, providerId, browserSecret, (attempt) => party.complete(url, attempt));
  }

  private party(providerId: string): RelyingParty {
    const party = this.parties.get(providerId);
    if (!party) throw new StepError('invalid_input', 'There is no such sign-in provider here.');
    return party;
  }
}
