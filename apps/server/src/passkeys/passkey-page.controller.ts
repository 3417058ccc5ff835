/**
 * `/auth/passkey`: where a chat's "Sign in with a passkey" ends up, in the
 * person's browser, once the start page took the chat's code
 * (../upstream/start.controller.ts). The page is the hosted sign-in page's
 * file in its passkey mode; its calls carry the pass cookie that the start
 * page set (SameSite=Strict, this path only), which names the chat's session
 * and proves this is the browser that typed its code. Every POST must come
 * from this origin. A right passkey signs the chat in, and the chat's widget
 * sees it when it next polls.
 */
import { Body, Controller, Get, HttpCode, Post, Req, Res, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { CodeAcceptedResult } from '@target-auth/shared/tools';
import { isRecord } from '../common/is-record.js';
import { AppConfig } from '../config/app-config.js';
import { PASSKEY_PASS_COOKIE, PASSKEY_PATH } from '../config/upstream.js';
import { cookieOf } from '../http/cookies.js';
import { JsonBodyInterceptor } from '../http/json-body.js';
import { RequestGuard } from '../http/request-guard.js';
import { PASS_SPENT_MESSAGE, type PasskeyPage } from '../session/passkey.step.js';
import { StepError } from '../session/step-error.js';
import { passCookie } from '../session/upstream-hand-off.js';
import { HostedPage } from '../widget/hosted-page.js';
import { PasskeyPageExceptionFilter, PasskeyPageRefusal } from './passkey-page-exception.filter.js';
import { PasskeySignIn } from './passkey-sign-in.js';

@Controller(PASSKEY_PATH.slice(1))
@UseGuards(RequestGuard)
@UseInterceptors(JsonBodyInterceptor)
@UseFilters(PasskeyPageExceptionFilter)
export class PasskeyPageController {
  private readonly origin: string;

  constructor(
    private readonly page: HostedPage,
    private readonly signIn: PasskeySignIn,
    private readonly config: AppConfig,
  ) {
    this.origin = new URL(config.publicUrl).origin;
  }

  @Get()
  show(@Res() res: Response): void {
    res.writeHead(200, this.page.headers).end(this.page.html);
  }

  /** Whether this browser's pass can still sign the chat in (`{ ready: true }`); else why not. */
  @Get('state')
  async state(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ ready: true }> {
    res.setHeader('cache-control', 'no-store');
    await this.signIn.ready(this.passOf(req));
    return { ready: true };
  }

  /** The options for the browser's passkey prompt, for the chat's session. */
  @Post('options')
  @HttpCode(200)
  async options(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PublicKeyCredentialRequestOptionsJSON> {
    this.sameOrigin(req);
    const { options, cookie } = await this.signIn.begin(this.passOf(req));
    res.setHeader('set-cookie', cookie);
    return options;
  }

  /** The browser's passkey answer (`{ response }`): signs the chat in, and spends this browser's pass. */
  @Post()
  @HttpCode(200)
  async finish(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CodeAcceptedResult> {
    this.sameOrigin(req);
    const { answer, cookie } = await this.signIn.finish(req, this.passOf(req), isRecord(body) ? body['response'] : undefined);
    res.setHeader('set-cookie', [cookie, passCookie(this.config)]);
    return answer;
  }

  private passOf(req: Request): PasskeyPage {
    const pass = cookieOf(req, PASSKEY_PASS_COOKIE);
    if (!pass) throw new StepError('invalid_session', PASS_SPENT_MESSAGE);
    return { pass };
  }

  private sameOrigin(req: Request): void {
    if (req.headers.origin !== this.origin) throw new PasskeyPageRefusal(403, 'forbidden', 'This request must come from the passkey page.');
  }
}
