/**
 * `GET /auth/callback/{provider}`: where a provider sends the browser back.
 * A sign-in the hosted page began goes back to its interaction (profile,
 * consent); one begun from a chat ends on a page saying to go back to it. A
 * failure is a page with the reason and, for the hosted page, a way back.
 */
import { Controller, Get, Param, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { StoreUnavailableError } from '../common/store-unavailable.js';
import { AppConfig } from '../config/app-config.js';
import { MESSAGE_PAGE_HEADERS, messagePage, type PageMessage } from '../http/message-page.js';
import { RequestGuard } from '../http/request-guard.js';
import { StepError } from '../session/step-error.js';
import { UpstreamFailed, type UpstreamFinished } from '../session/upstream.step.js';
import { UpstreamError } from './relying-party.js';
import { cookieOf } from '../http/cookies.js';
import { CALLBACK_PATH, UPSTREAM_COOKIE, upstreamCookie, UpstreamSignIn } from './upstream-sign-in.js';

@Controller(CALLBACK_PATH.slice(1))
@UseGuards(RequestGuard)
export class UpstreamController {
  constructor(
    private readonly upstream: UpstreamSignIn,
    private readonly config: AppConfig,
  ) {}

  @Get(':provider')
  async callback(@Param('provider') provider: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const url = new URL(req.originalUrl, this.config.publicUrl);
    const browserSecret = cookieOf(req, UPSTREAM_COOKIE);
    // Once its attempt is spent, the cookie has served (a forged callback, refused before that, leaves it).
    const spent = () => res.setHeader('set-cookie', upstreamCookie(this.config));
    try {
      const finished = await this.upstream.callback(provider, url, browserSecret);
      spent();
      if (finished.interaction !== undefined) {
        res.writeHead(303, { location: pageOf(finished.interaction), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
        return;
      }
      res.writeHead(200, MESSAGE_PAGE_HEADERS).end(messagePage(chatEnding(finished.answer)));
    } catch (error) {
      if (error instanceof UpstreamFailed) spent();
      const { status, message } = failureOf(error);
      const back = error instanceof UpstreamFailed && error.interaction !== undefined ? { href: pageOf(error.interaction), text: 'Back to sign-in' } : undefined;
      const page = messagePage({ title: 'Sign-in problem', heading: 'You are not signed in', paragraphs: [message], ...(back && { next: back }) });
      res.writeHead(status, MESSAGE_PAGE_HEADERS).end(page);
    }
  }
}

/** The page a sign-in goes back to: the account page for its sign-ins (`account:…`), else the hosted page's interaction. */
export const pageOf = (interaction: string): string => (interaction.startsWith('account:') ? '/account' : `/interaction/${interaction}`);

/** What the tab of a sign-in begun from a chat says at its end: signed in, or what the chat asks next. */
export function chatEnding(answer: UpstreamFinished['answer']): PageMessage {
  if ('authenticated' in answer && answer.authenticated) {
    return { title: 'Signed in', heading: 'You are signed in to Target', paragraphs: ['You can go back to the chat and close this tab.'] };
  }
  const almost = (next: string): PageMessage => ({ title: 'Almost there', heading: 'One more step in the chat', paragraphs: [`Go back to the chat and ${next}`, 'You can close this tab.'] });
  if (answer.step === 'profile') return almost('choose who is signing in.');
  if (answer.step === 'new-password') return almost('choose a new password.');
  const confirm = answer.purpose === 'link' ? ' to confirm it is your account' : '';
  switch (answer.delivery.method) {
    case 'email':
      return almost(`enter the code we sent to ${answer.delivery.sentTo}${confirm}.`);
    case 'totp':
      return almost(`enter the code from your authenticator app${confirm}.`);
    case 'demo':
      return almost(`enter any six-digit code${confirm} (demo mode).`);
  }
}

/** The status and the words for a failed callback; anything unexpected is passed on. */
function failureOf(error: unknown): { status: number; message: string } {
  const reason = error instanceof UpstreamFailed ? error.cause : error;
  if (reason instanceof UpstreamError) return { status: reason.reason === 'unavailable' ? 503 : 400, message: reason.message };
  if (reason instanceof StepError) return { status: reason.code === 'unavailable' ? 503 : 400, message: reason.message };
  if (reason instanceof StoreUnavailableError) return { status: 503, message: 'Signing in is unavailable for a moment. Try again shortly.' };
  throw error;
}
