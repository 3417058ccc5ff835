import { Injectable } from '@nestjs/common';
import type { AuthenticateResult } from '@target-auth/shared/tools';
import { SessionService } from '../session/session.service.js';
import { UpstreamSignIn } from '../upstream/upstream-sign-in.js';

/** Where the widget's screens start for a session, with the upstream providers it may offer beside the password. */
@Injectable()
export class SignInScreens {
  constructor(
    private readonly sessions: SessionService,
    private readonly upstream: UpstreamSignIn,
  ) {}

  async of(sessionId: string): Promise<AuthenticateResult> {
    const result = await this.sessions.screens(sessionId);
    const providers = this.upstream.providers();
    return result.authenticated || providers.length === 0 ? result : { ...result, providers };
  }
}
