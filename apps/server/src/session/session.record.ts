/**
 * What the server keeps per sign-in. A class (not a literal) so every record
 * shares one hidden class and stays small; records are never changed in place:
 * `with` makes the next one.
 */
import type { CodePurpose } from '@target-auth/shared/tools';

export type SessionStep = 'credentials' | 'verify' | 'profile' | 'new-password' | 'authenticated' | 'locked';

export interface SessionFields {
  step: SessionStep;
  /** Wrong codes so far in this session. */
  failedCodes: number;
  /** Set once credentials (or a reset request) are accepted; null for an unknown e-mail's reset. */
  accountId: string | null;
  email: string | null;
  name: string | null;
  /** The chosen profile's name, once signed in (real accounts). */
  profile: string | null;
  purpose: CodePurpose;
  /** How the code arrives: `email` (checked against `codeCheck`), `totp`, or `demo`. */
  method: 'email' | 'totp' | 'demo' | null;
  /** What `OneTimeCodes.create` asked us to keep (an HMAC), never the code. */
  codeCheck: string | null;
  /** Epoch ms of the last code sent (0: none): the code's age and the resend cooldown. */
  codeSentAt: number;
  /** Whether the sign-in form was shown for it: a flood evicts never-opened sessions first. */
  opened: boolean;
  /** The account's credentials epoch when this sign-in proved them: a later change ends it. */
  epoch: number | null;
  /** The hash of the browser's device secret, trusted for the account once signed in. */
  device: string | null;
  /** The hosted page's interaction (account linking) that opened it; only that one may take it over. */
  interaction: string | null;
}

export class SessionRecord implements SessionFields {
  step: SessionStep;
  failedCodes: number;
  accountId: string | null;
  email: string | null;
  name: string | null;
  profile: string | null;
  purpose: CodePurpose;
  method: SessionFields['method'];
  codeCheck: string | null;
  codeSentAt: number;
  opened: boolean;
  epoch: number | null;
  device: string | null;
  interaction: string | null;

  constructor(
    /** Epoch ms after which the session reads as expired. */
    public readonly expiresAt: number,
    fields: Partial<SessionFields> = {},
  ) {
    this.step = fields.step ?? 'credentials';
    this.failedCodes = fields.failedCodes ?? 0;
    this.accountId = fields.accountId ?? null;
    this.email = fields.email ?? null;
    this.name = fields.name ?? null;
    this.profile = fields.profile ?? null;
    this.purpose = fields.purpose ?? 'sign-in';
    this.method = fields.method ?? null;
    this.codeCheck = fields.codeCheck ?? null;
    this.codeSentAt = fields.codeSentAt ?? 0;
    this.opened = fields.opened ?? false;
    this.epoch = fields.epoch ?? null;
    this.device = fields.device ?? null;
    this.interaction = fields.interaction ?? null;
  }

  /** The next record: these fields changed, the rest kept. */
  with(changes: Partial<SessionFields> & { expiresAt?: number }): SessionRecord {
    return new SessionRecord(changes.expiresAt ?? this.expiresAt, { ...this, ...changes });
  }
}
