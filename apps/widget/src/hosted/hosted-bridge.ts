/**
 * The sign-in screens on the hosted page: the HTTP bridge to the session API
 * on this origin, with the session the page opened, and a word to the page
 * once someone has signed in (it then hands the session over to the
 * authorization flow).
 */
import type { AuthenticateResult, SignedInResult } from '@target-auth/shared/tools';
import { HttpBridge } from '../bridge/http-bridge';

export class HostedBridge extends HttpBridge {
  constructor(
    apiBase: string,
    sessionId: string,
    private readonly onSignedIn: (identity: SignedInResult) => void,
    /** Where the screens start, for a session the page resumes (back from an upstream provider). */
    initial?: AuthenticateResult,
  ) {
    super(apiBase, sessionId, initial);
  }

  override signedIn(identity: SignedInResult): void {
    this.onSignedIn(identity);
  }
}
