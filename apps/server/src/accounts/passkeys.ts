/**
 * Passkeys (WebAuthn) on @simplewebauthn/server: registering one for an
 * account, and checking a sign-in with one. The relying party is PUBLIC_URL's
 * host and its origin; user verification is required (a PIN, a fingerprint:
 * the passkey then stands for both factors); passkeys are discoverable, so a
 * sign-in needs no e-mail first. An assertion is good once: its counter moves
 * by compare-and-set, and an authenticator whose counter goes back (a clone)
 * is refused. The challenge each ceremony answers is kept by the caller (the
 * page's sealed cookie) and given back here.
 */
import { Injectable } from '@nestjs/common';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { z } from 'zod';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import type { Account } from './account-directory.js';
import { PasskeyStore, type StoredPasskey } from './passkey-store.js';

/** A passkey that cannot be registered or does not sign in; `message` is safe to show. */
export class PasskeyError extends Error {
  override name = 'PasskeyError';
}

const CEREMONY_TIMEOUT_MS = 2 * 60 * 1000;
const NOT_CHECKED = 'That passkey could not be checked. Try again.';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/).max(65_536);
/** What a browser's `navigator.credentials` answer carries, as @simplewebauthn/browser sends it. */
const registrationResponse = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal('public-key'),
  response: z.object({ clientDataJSON: base64url, attestationObject: base64url, transports: z.array(z.string().max(32)).max(8).optional() }).loose(),
  clientExtensionResults: z.object({}).loose(),
}).loose();
const authenticationResponse = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal('public-key'),
  response: z.object({ clientDataJSON: base64url, authenticatorData: base64url, signature: base64url, userHandle: base64url.optional() }).loose(),
  clientExtensionResults: z.object({}).loose(),
}).loose();

const encoder = new TextEncoder();
const userIdOf = (accountId: string): string => Buffer.from(accountId).toString('base64url');

@Injectable()
export class Passkeys {
  private readonly rpID: string;
  private readonly origin: string;

  constructor(
    private readonly store: PasskeyStore,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    const url = new URL(config.publicUrl);
    this.rpID = url.hostname;
    this.origin = url.origin;
  }

  /** What the browser needs to make a passkey for the account (none it has already). */
  async registrationOptions(account: Account): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.store.list(account.id);
    return generateRegistrationOptions({
      rpName: 'Target',
      rpID: this.rpID,
      userName: account.email,
      userDisplayName: account.name,
      userID: encoder.encode(account.id),
      attestationType: 'none',
      excludeCredentials: existing.map((passkey) => ({ id: passkey.id, transports: passkey.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      timeout: CEREMONY_TIMEOUT_MS,
    });
  }

  /** Checks the browser's new passkey against the challenge given, and keeps it under `name`. */
  async register(account: Account, response: unknown, challenge: string, name: string): Promise<StoredPasskey> {
    const parsed = registrationResponse.safeParse(response);
    if (!parsed.success) throw new PasskeyError(NOT_CHECKED);
    let info;
    try {
      const verified = await verifyRegistrationResponse({
        response: parsed.data,
        expectedChallenge: challenge,
        expectedOrigin: this.origin,
        expectedRPID: this.rpID,
        requireUserVerification: true,
      });
      info = verified.verified ? verified.registrationInfo : undefined;
    } catch {
      info = undefined;
    }
    if (!info) throw new PasskeyError(NOT_CHECKED);
    const passkey = {
      id: info.credential.id,
      accountId: account.id,
      publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      name,
      createdAt: this.clock.now(),
    };
    if (!(await this.store.add(passkey))) throw new PasskeyError('That passkey is registered already.');
    return { ...passkey, lastUsedAt: null };
  }

  /** What the browser needs to sign in with any passkey of this site (discoverable: no e-mail first). */
  authenticationOptions(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return generateAuthenticationOptions({ rpID: this.rpID, userVerification: 'required', allowCredentials: [], timeout: CEREMONY_TIMEOUT_MS });
  }

  /** The passkey that signed the challenge given; its use is recorded once. */
  async authenticate(response: unknown, challenge: string): Promise<StoredPasskey> {
    const parsed = authenticationResponse.safeParse(response);
    if (!parsed.success) throw new PasskeyError(NOT_CHECKED);
    const stored = await this.store.find(parsed.data.id);
    if (!stored) throw new PasskeyError('This passkey is not registered with Target, or it was removed. Sign in another way.');
    const { userHandle } = parsed.data.response;
    if (userHandle !== undefined && userHandle !== userIdOf(stored.accountId)) throw new PasskeyError(NOT_CHECKED);
    let result;
    try {
      const verified = await verifyAuthenticationResponse({
        response: parsed.data,
        expectedChallenge: challenge,
        expectedOrigin: this.origin,
        expectedRPID: this.rpID,
        credential: { id: stored.id, publicKey: Buffer.from(stored.publicKey, 'base64url'), counter: stored.counter, transports: stored.transports },
        requireUserVerification: true,
      });
      result = verified.verified ? verified.authenticationInfo : undefined;
    } catch {
      result = undefined;
    }
    if (!result) throw new PasskeyError(NOT_CHECKED);
    if (!(await this.store.used(stored.id, stored.counter, result.newCounter, result.credentialBackedUp, this.clock.now()))) throw new PasskeyError(NOT_CHECKED);
    return stored;
  }
}
