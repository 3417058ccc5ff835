/**
 * The screens between "Connect" in a host and the redirect back to it. The
 * authorization endpoint sends the browser to /interaction/{uid}; the hosted
 * page (hosted-page.ts) reads what to show from `details`, signs the person
 * in through the same session API as the widget (a session it opens with
 * `session`), hands the signed-in session over with `login`, then asks for
 * consent (`consent` or `deny`). Every POST must come from this origin, and
 * oidc-provider ties each interaction to the browser that started it (an
 * HttpOnly cookie), so no other site or browser can finish it.
 */
import { Body, Controller, Get, Param, Post, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  INTERACTION_EXPIRED_MESSAGE,
  type InteractionDetails,
  type InteractionFailure,
  type InteractionRedirect,
} from '@target-auth/shared/linking';
import { AccountDirectory } from '../accounts/account-directory.js';
import { AppConfig } from '../config/app-config.js';
import { JsonBodyInterceptor } from '../http/json-body.js';
import { RequestGuard } from '../http/request-guard.js';
import { SessionService } from '../session/session.service.js';
import { HostedPage } from './hosted-page.js';
import { clientIdentity } from './client-identity.js';
import { LinkedProfiles } from './linked-profiles.js';
import { isRecord, rememberConsent } from './oauth-provider.js';
import { OAuthServer } from './oauth-server.js';
import { OAuthStorage } from './oauth-storage.js';

type Provider = Awaited<ReturnType<OAuthServer['provider']>>;
type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

const UID = /^[A-Za-z0-9_-]{1,64}$/;

class InteractionError extends Error {
  constructor(
    readonly status: number,
    readonly body: InteractionFailure,
  ) {
    super(body.message);
  }
}

const expired = (): InteractionError => new InteractionError(400, { error: 'interaction_expired', message: INTERACTION_EXPIRED_MESSAGE });

@Controller('interaction')
@UseGuards(RequestGuard)
@UseInterceptors(JsonBodyInterceptor)
export class InteractionController {
  constructor(
    private readonly oauth: OAuthServer,
    private readonly page: HostedPage,
    private readonly sessions: SessionService,
    private readonly accounts: AccountDirectory,
    private readonly storage: OAuthStorage,
    private readonly linkedProfiles: LinkedProfiles,
    private readonly config: AppConfig,
  ) {}

  @Get(':uid')
  show(@Param('uid') uid: string, @Res() res: Response): void {
    if (!UID.test(uid)) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res.writeHead(200, this.page.headers).end(this.page.html);
  }

  @Get(':uid/details')
  details(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.answer(res, async () => {
      const details = await this.interaction(uid, req, res);
      const client = await this.clientOf(details);
      if (details.prompt.name === 'login') return { prompt: 'login', client } satisfies InteractionDetails;
      const account = details.session?.accountId ? await this.accounts.findById(details.session.accountId) : null;
      if (!account) throw new InteractionError(401, { error: 'not_signed_in', message: 'Sign in again to continue.' });
      return { prompt: 'consent', client, account: { name: account.name, email: account.email } } satisfies InteractionDetails;
    });
  }

  /** Opens the sign-in session the page's screens drive (the same steps and limits as the widget's). */
  @Post(':uid/session')
  session(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.answer(res, async () => {
      this.sameOrigin(req);
      const details = await this.interaction(uid, req, res);
      if (details.prompt.name !== 'login') throw new InteractionError(409, { error: 'invalid_request', message: 'You are already signed in.' });
      const { sessionId } = await this.sessions.create({ interaction: details.uid });
      return { sessionId };
    }, 201);
  }

  /**
   * Hands a signed-in session over as the interaction's login; the session
   * ends here. Only a session this page opened for this interaction, in this
   * browser (the interaction's cookie), is taken; any other gets the same
   * refusal and is left as it was.
   */
  @Post(':uid/login')
  login(@Param('uid') uid: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.answer(res, async () => {
      this.sameOrigin(req);
      const details = await this.interaction(uid, req, res);
      const sessionId = isRecord(body) && typeof body['sessionId'] === 'string' ? body['sessionId'] : '';
      const signedIn = sessionId ? await this.sessions.handOver(sessionId, details.uid) : null;
      if (!signedIn) throw new InteractionError(401, { error: 'not_signed_in', message: 'Sign in first.' });
      const clientId = String(details.params['client_id']);
      await this.linkedProfiles.remember(signedIn.accountId, clientId, signedIn.profile);
      // The login counts from the credentials epoch it was made under (never before it: see findAccount).
      const ts = Math.max(Math.floor(Date.now() / 1000), signedIn.epoch);
      return this.finish(req, res, { login: { accountId: signedIn.accountId, ts } }, false);
    });
  }

  /** Consent: a grant of `account:read` on this server's MCP endpoint, remembered for this account and client. */
  @Post(':uid/consent')
  consent(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.answer(res, async () => {
      this.sameOrigin(req);
      const details = await this.interaction(uid, req, res);
      const accountId = details.session?.accountId;
      if (details.prompt.name !== 'consent' || !accountId) throw new InteractionError(409, { error: 'invalid_request', message: 'Sign in first.' });
      // Disabled since signing in: no grant for it.
      if (!(await this.accounts.findById(accountId))) throw new InteractionError(401, { error: 'not_signed_in', message: 'Sign in again to continue.' });
      const { Grant } = await this.oauth.provider();
      const clientId = String(details.params['client_id']);
      const existing = details.grantId ? await Grant.find(details.grantId) : undefined;
      const grant = existing ?? new Grant({ accountId, clientId });
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      await rememberConsent(this.storage, { accountId, clientId, redirectUri: String(details.params['redirect_uri']) }, grantId);
      return this.finish(req, res, { consent: { grantId } }, true);
    });
  }

  @Post(':uid/deny')
  deny(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.answer(res, async () => {
      this.sameOrigin(req);
      await this.interaction(uid, req, res);
      return this.finish(req, res, { error: 'access_denied', error_description: 'The person declined to link their Target account.' }, false);
    });
  }

  private async interaction(uid: string, req: Request, res: Response): Promise<Details> {
    if (!UID.test(uid)) throw expired();
    const provider = await this.oauth.provider();
    const details = await provider.interactionDetails(req, res).catch(() => undefined);
    // The cookie names the browser's interaction; a page for another uid is stale.
    if (!details || details.uid !== uid) throw expired();
    return details;
  }

  private async finish(req: Request, res: Response, result: Record<string, unknown>, merge: boolean): Promise<InteractionRedirect> {
    const provider = await this.oauth.provider();
    const redirectTo = await provider.interactionResult(req, res, result, { mergeWithLastSubmission: merge });
    return { redirectTo };
  }

  /** Who the consent screen names: by who receives the code (client-identity.ts). */
  private async clientOf(details: Details): Promise<InteractionDetails['client']> {
    const clientId = String(details.params['client_id']);
    const provider = await this.oauth.provider();
    const client = await provider.Client.find(clientId).catch(() => undefined);
    return clientIdentity({ clientId, redirectUri: String(details.params['redirect_uri']), registeredName: client?.clientName });
  }

  private sameOrigin(req: Request): void {
    if (req.headers.origin !== this.config.publicUrl) {
      throw new InteractionError(403, { error: 'forbidden', message: 'This request must come from the sign-in page.' });
    }
  }

  private async answer(res: Response, work: () => Promise<object>, status = 200): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    try {
      const body = await work();
      res.status(status).json(body);
    } catch (error) {
      if (error instanceof InteractionError) {
        res.status(error.status).json(error.body);
        return;
      }
      throw error;
    }
  }
}

