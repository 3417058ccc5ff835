/**
 * `/auth/start/{link}`: where a chat's upstream sign-in opens in the person's
 * browser. GET shows the provider's name and asks for the code the chat
 * shows; POST (a form of this page only: its Origin must be this server's)
 * checks it and, when right, sends this browser to the provider with the
 * cookie that binds the attempt to it. No script; every answer is a page.
 */
import { Controller, Get, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { StoreUnavailableError } from '../common/store-unavailable.js';
import { AppConfig } from '../config/app-config.js';
import { FormBodyError, postedFrom, readForm } from '../http/form-body.js';
import { formPageHeaders, MESSAGE_PAGE_HEADERS, messagePage, type PageMessage } from '../http/message-page.js';
import { RequestGuard } from '../http/request-guard.js';
import { StepError } from '../session/step-error.js';
import { PASSKEY_HAND_OFF } from '@target-auth/shared/linking';
import { UpstreamError } from './relying-party.js';
import { type ProviderButton, START_PATH, UpstreamSignIn } from './upstream-sign-in.js';

/** A form of one short field: anything longer is not this page's. */
const MAX_FORM_BYTES = 1024;
const LINK = /^[A-Za-z0-9._-]{1,512}$/;

@Controller(START_PATH.slice(1))
@UseGuards(RequestGuard)
export class StartController {
  private readonly origin: string;

  constructor(
    private readonly upstream: UpstreamSignIn,
    private readonly config: AppConfig,
  ) {
    this.origin = new URL(config.publicUrl).origin;
  }

  @Get(':link')
  async show(@Param('link') link: string, @Res() res: Response): Promise<void> {
    await this.answer(res, async () => {
      const { provider, origin } = await this.upstream.startPage(this.checked(link));
      res.writeHead(200, formPageHeaders(origin)).end(messagePage(codePage(provider)));
    });
  }

  @Post(':link')
  async claim(@Param('link') link: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.answer(res, async () => {
      if (!postedFrom(req, this.origin)) {
        res.writeHead(403, MESSAGE_PAGE_HEADERS).end(messagePage(problem('This form must be sent from its own page. Open the link from the chat again.')));
        return;
      }
      const code = (await readForm(req, MAX_FORM_BYTES)).get('code') ?? '';
      try {
        const { url, cookie } = await this.upstream.claim(this.checked(link), code);
        res.writeHead(303, { location: url, 'set-cookie': cookie, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
      } catch (error) {
        if (!(error instanceof StepError) || error.code !== 'wrong_code') throw error;
        // The page again, saying so; the provider's origin is known (the link is still good).
        const { provider, origin } = await this.upstream.startPage(link);
        const left = error.details.attemptsLeft ?? 0;
        const alert = `${error.message} ${left === 1 ? '1 try left.' : `${left} tries left.`}`;
        res.writeHead(400, formPageHeaders(origin)).end(messagePage({ ...codePage(provider), alert }));
      }
    });
  }

  private checked(link: string): string {
    if (!LINK.test(link)) throw new StepError('invalid_session', 'This sign-in link is not whole. Open it from the chat again.');
    return link;
  }

  /** Runs `work`; what it refuses becomes a page that says why. */
  private async answer(res: Response, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const { status, message } = refusalOf(error);
      res.writeHead(status, MESSAGE_PAGE_HEADERS).end(messagePage(problem(message)));
    }
  }
}

function codePage({ id, name: provider }: ProviderButton): PageMessage {
  if (id === PASSKEY_HAND_OFF.id) {
    return {
      title: 'Sign in with a passkey',
      heading: 'Sign in with a passkey',
      paragraphs: [
        'You are signing in to Target with a passkey for a chat. Type the code the chat shows you, then use your passkey on the next page.',
        'Only type a code from your own chat. If someone sent you this link or a code, stop here: they would be signed in as you.',
      ],
      form: { fields: [{ label: 'Code from the chat', name: 'code', kind: 'code' }], button: 'Continue', hint: 'Eight letters, like BCDF-GHJK.' },
    };
  }
  return {
    title: `Sign in with ${provider}`,
    heading: `Continue to ${provider}`,
    paragraphs: [
      `You are signing in to Target with ${provider} for a chat. Type the code the chat shows you.`,
      'Only type a code from your own chat. If someone sent you this link or a code, stop here: they would be signed in as you.',
    ],
    form: { fields: [{ label: 'Code from the chat', name: 'code', kind: 'code' }], button: `Continue to ${provider}`, hint: 'Eight letters, like BCDF-GHJK.' },
  };
}

const problem = (message: string): PageMessage => ({ title: 'Sign-in problem', heading: 'This sign-in link does not work', paragraphs: [message] });

function refusalOf(error: unknown): { status: number; message: string } {
  if (error instanceof StepError) return { status: statusOf(error), message: error.message };
  if (error instanceof UpstreamError) return { status: error.reason === 'unavailable' ? 503 : 400, message: error.message };
  if (error instanceof StoreUnavailableError) return { status: 503, message: 'Signing in is unavailable for a moment. Try again shortly.' };
  if (error instanceof FormBodyError) return { status: error.status, message: error.message };
  throw error;
}

/** A link that is spent, replaced or expired is gone (410); a store that does not answer, 503. */
function statusOf(error: StepError): number {
  switch (error.code) {
    case 'unavailable':
      return 503;
    case 'expired':
    case 'locked':
    case 'invalid_session':
      return 410;
    default:
      return 400;
  }
}
