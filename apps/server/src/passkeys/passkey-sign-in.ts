/**
 * "Sign in with a passkey" on this server's pages (the hosted sign-in page,
 * the account page, and a chat's passkey page), for the sign-in session the
 * page may take (session/passkey.step.ts): the options (a challenge, kept in
 * a sealed cookie for this browser and this session, two minutes), then the
 * browser's answer, which signs the session in. The challenge is spent with
 * the session: once signed in, the same answer finds no session waiting.
 */
import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { CodeAcceptedResult } from '@target-auth/shared/tools';
import { Passkeys, PasskeyError } from '../accounts/passkeys.js';
import { KeyRing } from '../accounts/secret-key.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { cookieOf } from '../http/cookies.js';
import { type PasskeyPage, PasskeyStep } from '../session/passkey.step.js';

export const PASSKEY_COOKIE = 'target_passkey';
const CHALLENGE_MS = 2 * 60 * 1000;

@Injectable()
export class PasskeySignIn {
  private readonly secure: string;

  constructor(
    private readonly passkeys: Passkeys,
    private readonly step: PasskeyStep,
    private readonly keys: KeyRing,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.secure = config.publicUrl.startsWith('https:') ? '; Secure' : '';
  }

  /** Throws unless `page` may sign its session in with a passkey now. */
  async ready(page: PasskeyPage): Promise<void> {
    await this.step.ready(page);
  }

  /** The options for the browser, and the Set-Cookie that keeps their challenge for the session `page` may sign in. */
  async begin(page: PasskeyPage): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; cookie: string }> {
    const sessionId = await this.step.ready(page);
    const options = await this.passkeys.authenticationOptions();
    const sealed = this.keys.sealFor(sessionId, options.challenge, this.clock.now() + CHALLENGE_MS, 'account-page');
    return { options, cookie: this.cookie(sealed, CHALLENGE_MS / 1000) };
  }

  /** Checks the browser's answer against this session's challenge and signs the session in; the Set-Cookie that ends the challenge. */
  async finish(req: IncomingMessage, page: PasskeyPage, response: unknown): Promise<{ answer: CodeAcceptedResult; cookie: string }> {
    const challenge = this.challengeOf(req, this.step.sessionOf(page));
    if (!challenge) throw new PasskeyError('That passkey sign-in took too long. Try again.');
    const passkey = await this.passkeys.authenticate(response, challenge);
    return { answer: await this.step.signIn(page, passkey.accountId), cookie: this.cookie('', 0) };
  }

  private challengeOf(req: IncomingMessage, sessionId: string): string | undefined {
    return this.keys.openFor(cookieOf(req, PASSKEY_COOKIE), sessionId, this.clock.now(), 'account-page');
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    return `${PASSKEY_COOKIE}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${this.secure}`;
  }
}
