/**
 * The screens between "Connect" in a host and the redirect back to it. The
 * authorization endpoint sends the browser to /interaction/{uid}; the hosted
 * page (hosted-page.ts) reads what to show from `details`, signs the person
 * in through the same session API as the widget (a session it opens with
 * `session`), hands the signed-in session over with `login`, then asks for
 * consent (`consent` or `deny`). Every POST must come from this origin, and
 * oidc-provider ties each interaction to the browser that started it (an
 * HttpOnly cookie), so no other site or browser can finish it. What each
 * step decides is LinkingService's; refusals are InteractionExceptionFilter's.
 */
import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { InteractionDetails, InteractionRedirect } from '@target-auth/shared/linking';
import type { Interaction, InteractionResults } from 'oidc-provider';
import { isRecord } from '../common/is-record.js';
import { AppConfig } from '../config/app-config.js';
import { JsonBodyInterceptor } from '../http/json-body.js';
import { RequestGuard } from '../http/request-guard.js';
import { HostedPage } from '../widget/hosted-page.js';
import { InteractionExceptionFilter } from './interaction-exception.filter.js';
import { LinkingError } from './linking-error.js';
import { LinkingService } from './linking.service.js';
import { OAuthServer } from './oauth-server.js';
import { upstreamCookie } from '../upstream/upstream-sign-in.js';
import { PasskeySignIn } from '../passkeys/passkey-sign-in.js';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { CodeAcceptedResult } from '@target-auth/shared/tools';

const UID = /^[A-Za-z0-9_-]{1,64}$/;
const sessionIdOf = (body: unknown): string => (isRecord(body) && typeof body['sessionId'] === 'string' ? body['sessionId'] : '');

@Controller('interaction')
@UseGuards(RequestGuard)
@UseInterceptors(JsonBodyInterceptor)
@UseFilters(InteractionExceptionFilter)
export class InteractionController {
  constructor(
    private readonly oauth: OAuthServer,
    private readonly linking: LinkingService,
    private readonly page: HostedPage,
    private readonly config: AppConfig,
    private readonly passkeys: PasskeySignIn,
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
  async details(@Param('uid') uid: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<InteractionDetails> {
    return this.linking.screen(await this.interaction(uid, req, res));
  }

  /** Opens the sign-in session the page's screens drive (the same steps and limits as the widget's). */
  @Post(':uid/session')
  async session(@Param('uid') uid: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ sessionId: string }> {
    this.sameOrigin(req);
    return this.linking.openSignIn(await this.interaction(uid, req, res));
  }

  /**
   * Sends the page's sign-in session to an upstream provider (body
   * `{ sessionId }`): where to go, and a cookie that ties the attempt to this
   * browser (sent back only to the callback).
   */
  @Post(':uid/upstream/:provider')
  @HttpCode(200)
  async upstream(
    @Param('uid') uid: string,
    @Param('provider') provider: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<InteractionRedirect> {
    this.sameOrigin(req);
    const interaction = await this.interaction(uid, req, res);
    const sessionId = isRecord(body) && typeof body['sessionId'] === 'string' ? body['sessionId'] : '';
    const { url, browserSecret } = await this.linking.beginUpstream(interaction, sessionId, provider);
    res.setHeader('set-cookie', upstreamCookie(this.config, browserSecret));
    return { redirectTo: url };
  }

  /** "Sign in with a passkey" for the page's sign-in (`{ sessionId }`): the options for the browser. */
  @Post(':uid/passkey/options')
  @HttpCode(200)
  async passkeyOptions(@Param('uid') uid: string, @Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PublicKeyCredentialRequestOptionsJSON> {
    this.sameOrigin(req);
    const interaction = await this.interaction(uid, req, res);
    const { options, cookie } = await this.passkeys.begin({ sessionId: sessionIdOf(body), interaction: interaction.uid });
    res.setHeader('set-cookie', cookie);
    return options;
  }

  /** The browser's passkey answer (`{ sessionId, response }`): signs the page's sign-in in (then `login` hands it over). */
  @Post(':uid/passkey')
  @HttpCode(200)
  async passkey(@Param('uid') uid: string, @Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CodeAcceptedResult> {
    this.sameOrigin(req);
    const interaction = await this.interaction(uid, req, res);
    const { answer, cookie } = await this.passkeys.finish(req, { sessionId: sessionIdOf(body), interaction: interaction.uid }, isRecord(body) ? body['response'] : undefined);
    res.setHeader('set-cookie', cookie);
    return answer;
  }

  /** Hands the page's signed-in session over as the interaction's login (LinkingService.login). */
  @Post(':uid/login')
  @HttpCode(200)
  async login(@Param('uid') uid: string, @Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<InteractionRedirect> {
    this.sameOrigin(req);
    const interaction = await this.interaction(uid, req, res);
    const sessionId = isRecord(body) && typeof body['sessionId'] === 'string' ? body['sessionId'] : '';
    return this.finish(req, res, await this.linking.login(interaction, sessionId), false);
  }

  /** Consent: a grant of `account:read` on this server's MCP endpoint, remembered for this account and app. */
  @Post(':uid/consent')
  @HttpCode(200)
  async consent(@Param('uid') uid: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<InteractionRedirect> {
    this.sameOrigin(req);
    return this.finish(req, res, await this.linking.consent(await this.interaction(uid, req, res)), true);
  }

  @Post(':uid/deny')
  @HttpCode(200)
  async deny(@Param('uid') uid: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<InteractionRedirect> {
    this.sameOrigin(req);
    await this.interaction(uid, req, res);
    return this.finish(req, res, { error: 'access_denied', error_description: 'The person declined to link their Target account.' }, false);
  }

  /** The browser's interaction, which must be the page's `uid` (the cookie names it; a page for another uid is stale). */
  private async interaction(uid: string, req: Request, res: Response): Promise<Interaction> {
    res.setHeader('cache-control', 'no-store');
    if (!UID.test(uid)) throw LinkingError.expired();
    const provider = await this.oauth.provider();
    const details = await provider.interactionDetails(req, res).catch(() => undefined);
    if (!details || details.uid !== uid) throw LinkingError.expired();
    return details;
  }

  private async finish(req: Request, res: Response, result: InteractionResults, merge: boolean): Promise<InteractionRedirect> {
    const provider = await this.oauth.provider();
    return { redirectTo: await provider.interactionResult(req, res, result, { mergeWithLastSubmission: merge }) };
  }

  private sameOrigin(req: Request): void {
    if (req.headers.origin !== this.config.publicUrl) {
      throw new LinkingError(403, { error: 'forbidden', message: 'This request must come from the sign-in page.' });
    }
  }
}
