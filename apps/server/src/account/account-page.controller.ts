/**
 * The account page: `GET /account` serves it (apps/widget/account.html, one
 * self-contained file under a strict CSP, never framed), and its calls live
 * under /account/api. Every POST must come from this origin with a JSON
 * body, and the page's cookies are SameSite=Strict: no other site can make
 * the browser act here. What each call decides is AccountPageService's.
 */
import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AccountStatus, AuthenticatorSetup, ConnectedApp, LinkedSignIn, PasskeyView } from '@target-auth/shared/account';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { CodeAcceptedResult } from '@target-auth/shared/tools';
import { PasskeySignIn } from '../passkeys/passkey-sign-in.js';
import type { UpstreamButton } from '@target-auth/shared/linking';
import { upstreamCookie, UpstreamSignIn } from '../upstream/upstream-sign-in.js';
import { isRecord } from '../common/is-record.js';
import { AppConfig } from '../config/app-config.js';
import { postedFrom } from '../http/form-body.js';
import { JsonBodyInterceptor } from '../http/json-body.js';
import { RequestGuard } from '../http/request-guard.js';
import { AccountCookies } from './account-cookies.js';
import { AccountPageError, AccountPageService, boundTo } from './account-page.service.js';
import { AccountExceptionFilter } from './account-exception.filter.js';
import { AccountPage } from './account-page.js';

@Controller('account')
@UseGuards(RequestGuard)
@UseInterceptors(JsonBodyInterceptor)
@UseFilters(AccountExceptionFilter)
export class AccountPageController {
  constructor(
    private readonly page: AccountPage,
    private readonly service: AccountPageService,
    private readonly cookies: AccountCookies,
    private readonly config: AppConfig,
    private readonly passkeySignIn: PasskeySignIn,
    private readonly upstream: UpstreamSignIn,
  ) {}

  @Get()
  show(@Res() res: Response): void {
    res.writeHead(200, this.page.headers).end(this.page.html);
  }

  @Get('api/status')
  status(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccountStatus> {
    res.setHeader('cache-control', 'no-store');
    return this.service.status(this.cookies.read(req));
  }

  /** Opens the sign-in the page's screens drive, bound to this browser (a cookie only it holds). */
  @Post('api/session')
  async session(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ sessionId: string; providers: UpstreamButton[] }> {
    this.sameOrigin(req, res);
    const binding = this.cookies.binding();
    const opened = await this.service.openSignIn(binding.value);
    res.setHeader('set-cookie', binding.header);
    return { ...opened, providers: this.upstream.providers() };
  }

  /**
   * Sends the page's sign-in (`{ sessionId }`) to an upstream provider: where
   * to go, and the cookie that ties the attempt to this browser. The provider's
   * callback brings the browser back to /account.
   */
  @Post('api/upstream/:provider')
  @HttpCode(200)
  async upstreamSignIn(@Param('provider') provider: string, @Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ redirectTo: string }> {
    this.sameOrigin(req, res);
    const { url, browserSecret } = await this.upstream.begin(stringField(body, 'sessionId'), provider, boundTo(this.cookies.bindingOf(req)));
    res.setHeader('set-cookie', upstreamCookie(this.config, browserSecret));
    return { redirectTo: url };
  }

  /** Takes over the page's signed-in session (`{ sessionId }`): the page is signed in for an hour. */
  @Post('api/login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccountStatus> {
    this.sameOrigin(req, res);
    const signIn = await this.service.signIn(stringField(body, 'sessionId'), this.cookies.bindingOf(req));
    res.setHeader('set-cookie', this.cookies.signedIn(signIn));
    return this.service.status(signIn);
  }

  /** "Sign in with a passkey" for the page's sign-in (`{ sessionId }`): the options for the browser. */
  @Post('api/passkey/options')
  @HttpCode(200)
  async passkeySignInOptions(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PublicKeyCredentialRequestOptionsJSON> {
    this.sameOrigin(req, res);
    const { options, cookie } = await this.passkeySignIn.begin({ sessionId: stringField(body, 'sessionId'), interaction: boundTo(this.cookies.bindingOf(req)) });
    res.setHeader('set-cookie', cookie);
    return options;
  }

  /** The browser's passkey answer (`{ sessionId, response }`): signs the page's sign-in in (then `login` takes it over). */
  @Post('api/passkey')
  @HttpCode(200)
  async passkeySignInFinish(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CodeAcceptedResult> {
    this.sameOrigin(req, res);
    const { answer, cookie } = await this.passkeySignIn.finish(req, { sessionId: stringField(body, 'sessionId'), interaction: boundTo(this.cookies.bindingOf(req)) }, fieldOf(body, 'response'));
    res.setHeader('set-cookie', cookie);
    return answer;
  }

  @Get('api/passkeys')
  async passkeys(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ passkeys: PasskeyView[] }> {
    res.setHeader('cache-control', 'no-store');
    return { passkeys: await this.service.passkeyList(this.cookies.read(req)) };
  }

  /** Begins adding a passkey: the options for the browser (their challenge kept in a sealed cookie). */
  @Post('api/passkeys/options')
  @HttpCode(200)
  async passkeyOptions(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PublicKeyCredentialCreationOptionsJSON> {
    this.sameOrigin(req, res);
    const { accountId, options } = await this.service.passkeyOptions(this.cookies.read(req));
    res.setHeader('set-cookie', this.cookies.pendingPasskey(accountId, options.challenge));
    return options;
  }

  /** The browser's new passkey (`{ response, name }`). */
  @Post('api/passkeys')
  @HttpCode(200)
  async addPasskey(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ passkeys: PasskeyView[] }> {
    this.sameOrigin(req, res);
    const signIn = this.cookies.read(req);
    const challenge = signIn && this.cookies.pendingPasskeyOf(req, signIn.accountId);
    const passkeys = await this.service.addPasskey(signIn, challenge, fieldOf(body, 'response'), stringField(body, 'name'));
    res.setHeader('set-cookie', this.cookies.passkeyDone());
    return { passkeys };
  }

  @Post('api/passkeys/rename')
  @HttpCode(200)
  async renamePasskey(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ passkeys: PasskeyView[] }> {
    this.sameOrigin(req, res);
    return { passkeys: await this.service.renamePasskey(this.cookies.read(req), stringField(body, 'id'), stringField(body, 'name')) };
  }

  @Post('api/passkeys/remove')
  @HttpCode(200)
  async removePasskey(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ passkeys: PasskeyView[] }> {
    this.sameOrigin(req, res);
    return { passkeys: await this.service.removePasskey(this.cookies.read(req), stringField(body, 'id')) };
  }

  @Post('api/sign-out')
  @HttpCode(200)
  signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): AccountStatus {
    this.sameOrigin(req, res);
    res.setHeader('set-cookie', this.cookies.signedOut());
    return { signedIn: false };
  }

  /** Ends every sign-in of the account: sessions, apps' tokens, browsers, and this page's. */
  @Post('api/sign-out-everywhere')
  @HttpCode(200)
  async signOutEverywhere(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccountStatus> {
    this.sameOrigin(req, res);
    await this.service.signOutEverywhere(this.cookies.read(req));
    res.setHeader('set-cookie', this.cookies.signedOut());
    return { signedIn: false };
  }

  /** A new password (`{ current, password }`): other sign-ins end; this page stays signed in. */
  @Post('api/password')
  @HttpCode(200)
  async password(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccountStatus> {
    this.sameOrigin(req, res);
    const signIn = await this.service.changePassword(this.cookies.read(req), stringField(body, 'current'), stringField(body, 'password'));
    res.setHeader('set-cookie', this.cookies.signedIn(signIn)[0]!);
    return this.service.status(signIn);
  }

  /** Begins setting up an authenticator app: the secret and QR code to scan (kept for ten minutes in a sealed cookie). */
  @Post('api/authenticator/setup')
  @HttpCode(200)
  async authenticatorSetup(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthenticatorSetup> {
    this.sameOrigin(req, res);
    const { accountId, setup } = await this.service.beginAuthenticator(this.cookies.read(req));
    res.setHeader('set-cookie', this.cookies.pendingAuthenticator(accountId, setup.secret));
    return setup;
  }

  /** Confirms the setup with the app's first code (`{ code }`); other sign-ins end, this page stays signed in. */
  @Post('api/authenticator/confirm')
  @HttpCode(200)
  async authenticatorConfirm(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccountStatus> {
    this.sameOrigin(req, res);
    const signIn = this.cookies.read(req);
    const pending = signIn && this.cookies.pendingAuthenticatorOf(req, signIn.accountId);
    const next = await this.service.confirmAuthenticator(signIn, pending, stringField(body, 'code'));
    res.setHeader('set-cookie', [this.cookies.signedIn(next)[0]!, this.cookies.authenticatorDone()]);
    return this.service.status(next);
  }

  /** Back to mailed codes, with a code from the app (`{ code }`). */
  @Post('api/authenticator/remove')
  @HttpCode(200)
  async authenticatorRemove(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccountStatus> {
    this.sameOrigin(req, res);
    const next = await this.service.removeAuthenticator(this.cookies.read(req), stringField(body, 'code'));
    res.setHeader('set-cookie', this.cookies.signedIn(next)[0]!);
    return this.service.status(next);
  }

  @Get('api/profiles')
  async profiles(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ profiles: string[] }> {
    res.setHeader('cache-control', 'no-store');
    return { profiles: await this.service.profileNames(this.cookies.read(req)) };
  }

  /** Adds a household profile (`{ name }`): sign-in offers it from then on. */
  @Post('api/profiles')
  @HttpCode(200)
  async addProfile(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ profiles: string[] }> {
    this.sameOrigin(req, res);
    return { profiles: await this.service.addProfile(this.cookies.read(req), stringField(body, 'name')) };
  }

  @Get('api/identities')
  async identities(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ identities: LinkedSignIn[] }> {
    res.setHeader('cache-control', 'no-store');
    return { identities: await this.service.linkedSignIns(this.cookies.read(req)) };
  }

  /** Unlink (`{ issuer, subject }`): never the last way in; other sign-ins end, this page stays signed in. */
  @Post('api/identities/unlink')
  @HttpCode(200)
  async unlink(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ identities: LinkedSignIn[] }> {
    this.sameOrigin(req, res);
    const signIn = await this.service.unlink(this.cookies.read(req), stringField(body, 'issuer'), stringField(body, 'subject'));
    res.setHeader('set-cookie', this.cookies.signedIn(signIn)[0]!);
    return { identities: await this.service.linkedSignIns(signIn) };
  }

  @Get('api/apps')
  async apps(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ apps: ConnectedApp[] }> {
    res.setHeader('cache-control', 'no-store');
    return { apps: await this.service.connectedApps(this.cookies.read(req)) };
  }

  /** Revoke (`{ clientId }`): the app's tokens end at once and its consent is forgotten. */
  @Post('api/apps/revoke')
  @HttpCode(200)
  async revoke(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ apps: ConnectedApp[] }> {
    this.sameOrigin(req, res);
    return { apps: await this.service.revoke(this.cookies.read(req), stringField(body, 'clientId')) };
  }

  private sameOrigin(req: Request, res: Response): void {
    res.setHeader('cache-control', 'no-store');
    if (!postedFrom(req, this.config.publicUrl)) {
      throw new AccountPageError(403, { error: 'forbidden', message: 'This request must come from the account page.' });
    }
  }
}

const stringField = (body: unknown, name: string): string => (isRecord(body) && typeof body[name] === 'string' ? body[name] : '');
const fieldOf = (body: unknown, name: string): unknown => (isRecord(body) ? body[name] : undefined);
