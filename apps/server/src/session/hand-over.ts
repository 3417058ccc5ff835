/**
 * For the hosted sign-in page (account linking): taking over the sign-in that
 * the page opened for its interaction, in this browser, once.
 */
import { Injectable } from '@nestjs/common';
import { SessionAccess } from './session-access.js';
import type { SessionRecord, SignedIn } from './session.record.js';

/** What the hosted page takes over from a signed-in session. */
export interface HandedOver {
  accountId: string;
  profile: string | null;
  /** The credentials epoch the sign-in was made under. */
  epoch: number;
}

@Injectable()
export class HandOver {
  constructor(private readonly sessions: SessionAccess) {}

  /**
   * The signed-in account of a live session that `interaction` opened. The
   * session ends on the way (it reads as expired), so its id cannot sign
   * anyone in twice. Null, leaving the session as it was, for any other
   * session: one signed in elsewhere (in a chat, for another interaction),
   * pending, unknown, or signed in under credentials changed since.
   */
  async take(sessionId: string, interaction: string): Promise<HandedOver | null> {
    const read = await this.sessions.read(sessionId);
    const takes = (candidate: SessionRecord | undefined): candidate is SignedIn =>
      candidate?.step === 'authenticated' && candidate.interaction === interaction && !this.sessions.isExpired(candidate);
    if (!read || !takes(read.record) || !(await this.sessions.isCurrent(read.record.account))) return null;
    const { accountId, epoch } = read.record.account;
    return this.sessions.transition(
      sessionId,
      (current) => {
        if (!takes(current) || current.account.accountId !== accountId || current.account.epoch !== epoch) return { result: null };
        return { next: { ...current, expiresAt: this.sessions.now() }, result: { accountId, profile: current.profile, epoch } };
      },
      read,
    );
  }
}
