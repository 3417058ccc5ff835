/**
 * What the server keeps per sign-in. A class (not a literal) so every record
 * shares one hidden class and stays small: a pending session is a few fields.
 */
export type SessionStep = 'credentials' | 'verify' | 'authenticated' | 'locked';

export class SessionRecord {
  constructor(
    /** Epoch ms after which the session reads as expired. */
    public expiresAt: number,
    public step: SessionStep = 'credentials',
    /** Wrong codes so far. */
    public failedCodes = 0,
    /** The account's email and name, set once credentials are accepted. */
    public email: string | null = null,
    public name: string | null = null,
    /** What `OneTimeCodes.issue` asked us to keep (a hash), never the code. */
    public codeCheck: string | null = null,
    /** Whether the sign-in form was shown for it: a flood evicts never-opened sessions first. */
    public opened = false,
  ) {}
}
