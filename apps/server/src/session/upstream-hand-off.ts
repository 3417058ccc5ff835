/**
 * An upstream sign-in begun from a chat. The widget cannot navigate its
 * frame, so the host opens this server's start link in the person's browser,
 * and that browser must type the code the chat shows before it is sent to the
 * provider. The code is what makes a link someone else sends you useless: it
 * would sign *their* chat in as you, and it goes nowhere without the code from
 * that chat. One link per session (a newer one replaces it), spent once a
 * right code sends its browser to the provider, ended by five wrong codes,
 * expired with the session. Only hashes of the link's secret and the code are
 * kept.
 *
 * A passkey hand-off (PASSKEY_HAND_OFF) goes the same way, except that a
 * right code sends its browser to this server's passkey page with a pass: a
 * sealed cookie naming the session and a secret whose hash the session keeps,
 * so only that browser's passkey can sign the chat in (passkey.step.ts).
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PASSKEY_HAND_OFF } from '@target-auth/shared/linking';
import { INVALID_SESSION_MESSAGE, SESSION_EXPIRED_MESSAGE } from '@target-auth/shared/tools';
import { KeyRing } from '../accounts/secret-key.js';
import type { AppConfig } from '../config/app-config.js';
import { PASSKEY_PASS_COOKIE, PASSKEY_PATH } from '../config/upstream.js';
import { setCookie } from '../http/cookies.js';
import { SessionAccess } from './session-access.js';
import { type AtCredentials, type AtUpstream, carried, type SessionRecord, type UpstreamAttempt, type UpstreamWaiting } from './session.record.js';
import { StepError } from './step-error.js';
import { newAttempt } from './upstream.step.js';

/** RFC 8628 §6.1's alphabet for codes people type: no vowels (no words), no look-alikes. */
const CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const CODE_LENGTH = 8;
/** Wrong codes a start link takes before it is spent. */
export const MAX_HAND_OFF_TRIES = 5;

export const LINK_SPENT_MESSAGE = 'This sign-in link was used or replaced. Start again from the chat.';
const WRONG_CODE_MESSAGE = "That code doesn't match the one in the chat.";
const TOO_MANY_MESSAGE = 'Too many wrong codes. Start again from the chat.';

/** What the chat shows: the start link (its secret sealed with the session's id), the code to type there, and when both expire. */
export interface HandOff {
  link: string;
  /** `BCDF-GHJK`: the code the start page asks for. */
  code: string;
  expiresAt: number;
}

/**
 * A right code: the session is away at its provider, in the browser that
 * typed it; or, for a passkey, waiting on this server's passkey page in that
 * browser, which the pass (its cookie) opens.
 */
export type Claimed = { to: 'provider'; provider: string; attempt: UpstreamAttempt; browserSecret: string } | { to: 'passkey'; pass: string };

type ClaimOutcome = { right: true; provider: string } | { right: false; left: number };

/** What the passkey page's cookie holds: the session, and the browser's secret (its hash is in the session). */
export function sealPass(keys: KeyRing, sessionId: string, browserSecret: string): string {
  return keys.seal(`${sessionId} ${browserSecret}`, 'passkey-pass');
}

/** The `Set-Cookie` that gives the passkey page's browser its pass (only /auth/passkey sees it, for as long as a session lives); without one, the one that clears it. */
export function passCookie(config: AppConfig, pass?: string): string {
  const maxAgeSeconds = pass === undefined ? 0 : Math.ceil(config.sessionTtlMs / 1000);
  return setCookie(PASSKEY_PASS_COOKIE, pass ?? '', { path: PASSKEY_PATH, maxAgeSeconds, sameSite: 'Strict', secure: config.publicUrl.startsWith('https:') });
}

/** The session and browser secret a pass names; undefined for anything this server did not seal as a pass. */
export function openPass(keys: KeyRing, pass: string): { sessionId: string; browserSecret: string } | undefined {
  try {
    const [sessionId, browserSecret] = keys.open(pass, 'passkey-pass').split(' ');
    if (sessionId && browserSecret) return { sessionId, browserSecret };
  } catch {
    // Not a pass: said by the caller.
  }
  return undefined;
}

@Injectable()
export class UpstreamHandOffStep {
  constructor(
    private readonly sessions: SessionAccess,
    private readonly keys: KeyRing,
  ) {}

  /** A start link and its code for a chat's session waiting for credentials (or waiting on an earlier link, which this one replaces). */
  async start(sessionId: string, provider: string): Promise<HandOff> {
    const read = await this.sessions.read(sessionId);
    this.startable(read?.record);
    const secret = randomBytes(24).toString('base64url');
    const code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    const record = await this.sessions.transition(
      sessionId,
      (stored) => {
        const next: UpstreamWaiting = { step: 'upstream', ...carried(this.startable(stored)), provider, handOff: { link: this.digest('link', secret), code: this.digest(secret, code), tries: 0 } };
        return { next, result: next };
      },
      read,
    );
    return { link: this.keys.seal(`${sessionId} ${secret}`, 'hand-off'), code: `${code.slice(0, 4)}-${code.slice(4)}`, expiresAt: record.expiresAt };
  }

  /** The provider a start link leads to, while it can still be used. */
  async provider(link: string): Promise<string> {
    const { sessionId, secret } = this.opened(link);
    const read = await this.sessions.read(sessionId);
    return this.waiting(read?.record, secret).provider;
  }

  /**
   * Checks the code typed on the start page. A right one spends the link and
   * sends the session to its provider in this browser; a wrong one counts,
   * and the last allowed one ends the hand-off.
   */
  async claim(link: string, typed: string): Promise<Claimed> {
    const { sessionId, secret } = this.opened(link);
    const read = await this.sessions.read(sessionId);
    this.waiting(read?.record, secret);
    const { attempt, browserSecret, browser } = newAttempt(this.keys, sessionId);
    const outcome = await this.sessions.transition<ClaimOutcome>(
      sessionId,
      (stored) => {
        const current = this.waiting(stored, secret);
        if (this.matches(current, secret, typed)) {
          const { provider } = current;
          const next: AtUpstream = provider === PASSKEY_HAND_OFF.id ? { step: 'upstream', ...carried(current), provider, browser } : { step: 'upstream', ...carried(current), provider, attempt, browser };
          return { next, result: { right: true, provider } };
        }
        const tries = current.handOff.tries + 1;
        if (tries >= MAX_HAND_OFF_TRIES) return { next: { step: 'credentials', ...carried(current), opened: true }, result: { right: false, left: 0 } };
        return { next: { ...current, handOff: { ...current.handOff, tries } }, result: { right: false, left: MAX_HAND_OFF_TRIES - tries } };
      },
      read,
    );
    if (!outcome.right) {
      if (outcome.left === 0) throw new StepError('locked', TOO_MANY_MESSAGE, { attemptsLeft: 0 });
      throw new StepError('wrong_code', WRONG_CODE_MESSAGE, { attemptsLeft: outcome.left });
    }
    if (outcome.provider === PASSKEY_HAND_OFF.id) return { to: 'passkey', pass: sealPass(this.keys, sessionId, browserSecret) };
    return { to: 'provider', provider: outcome.provider, attempt, browserSecret };
  }

  /** The chat gave up on its upstream sign-in ("Use your password instead"): the session waits for credentials again. Anywhere else, nothing changes. */
  async cancel(sessionId: string): Promise<void> {
    await this.sessions.transition(sessionId, (stored) =>
      stored?.step === 'upstream' && !this.sessions.isExpired(stored) ? { next: { step: 'credentials', ...carried(stored), opened: true }, result: undefined } : { result: undefined },
    );
  }

  /** A chat's live session at credentials, or waiting on a start link or a provider already. */
  private startable(record: SessionRecord | undefined): AtCredentials | AtUpstream {
    const current = record?.step === 'upstream' && !this.sessions.isExpired(record) ? record : this.sessions.require(record, 'credentials');
    // The hosted page sends its own browser to the provider; a start link is for chats.
    if (current.interaction !== undefined) throw new StepError('invalid_session', INVALID_SESSION_MESSAGE);
    return current;
  }

  /** The session waiting on this very link; else why not. */
  private waiting(record: SessionRecord | undefined, secret: string): UpstreamWaiting {
    if (record && this.sessions.isExpired(record)) throw new StepError('expired', SESSION_EXPIRED_MESSAGE);
    // Only a session waiting on a start link has a hand-off.
    if (!record || !('handOff' in record) || !same(record.handOff.link, this.digest('link', secret))) {
      throw new StepError('invalid_session', LINK_SPENT_MESSAGE);
    }
    return record;
  }

  private matches(record: UpstreamWaiting, secret: string, typed: string): boolean {
    const normalized = typed.toUpperCase().replace(/[^A-Z]/g, '');
    return same(record.handOff.code, this.digest(secret, normalized));
  }

  private opened(link: string): { sessionId: string; secret: string } {
    try {
      const [sessionId, secret] = this.keys.open(link, 'hand-off').split(' ');
      if (sessionId && secret) return { sessionId, secret };
    } catch {
      // Not a link this server made: said below like any other dead link.
    }
    throw new StepError('invalid_session', LINK_SPENT_MESSAGE);
  }

  private digest(key: string, value: string): string {
    return createHmac('sha256', this.keys.codes).update(`hand-off ${key} ${value}`).digest('base64url');
  }
}

/** Compares two of `digest`'s outputs (always 43 characters) in constant time. */
const same = (a: string, b: string): boolean => timingSafeEqual(Buffer.from(a), Buffer.from(b));
