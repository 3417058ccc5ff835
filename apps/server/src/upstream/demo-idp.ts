/**
 * Demo mode's own OpenID provider, "Demo ID", at /demo-idp: a second
 * oidc-provider (the library behind account linking) with one client, this
 * server's relying party, and a sign-in page of ours that takes any name and
 * e-mail and asks every time. A newcomer tries "Continue with …" end to end
 * without registering an app anywhere. Offered only in demo mode; its signing
 * key, client secret and the people it signed in live in this process.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpException, Injectable, Logger } from '@nestjs/common';
import type Provider from 'oidc-provider';
import type { Configuration } from 'oidc-provider';
import { z } from 'zod';
import { AppConfig } from '../config/app-config.js';
import { CALLBACK_PATH, type UpstreamProvider } from '../config/upstream.js';
import { FormBodyError, postedFrom, readForm } from '../http/form-body.js';
import { formPageHeaders, MESSAGE_PAGE_HEADERS, messagePage, type PageMessage } from '../http/message-page.js';
import { RequestGuard } from '../http/request-guard.js';
import { lazily } from '../common/lazy.js';
import { DemoIdpStorage } from './demo-idp-storage.js';

export const DEMO_IDP_PATH = '/demo-idp';
export const DEMO_PROVIDER_ID = 'demo';
const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]{1,64})$/;
const SESSION_COOKIE = 'demo_idp_session';
/** People signed in since the start, kept for their tokens' claims; the oldest go first. */
const MAX_PEOPLE = 1000;

interface Person {
  name: string;
  email: string;
}

const personForm = z.object({
  name: z.string().trim().min(1, { error: 'Type a name.' }).max(100, { error: 'Use at most 100 characters for the name.' }),
  email: z.email({ error: 'Type an e-mail address, like you@example.com.' }).max(254),
});


@Injectable()
export class DemoIdp {
  /** The provider as this server's relying party knows it; undefined outside demo mode. */
  readonly provider: UpstreamProvider | undefined;
  private readonly logger = new Logger('DemoIdp');
  private readonly origin: string;
  private readonly people = new Map<string, Person>();
  /** oidc-provider loads on Demo ID's first request, not at boot. */
  private readonly load = lazily(async () => {
    const oidc = await this.create();
    return { oidc, callback: oidc.callback() };
  });

  constructor(
    config: AppConfig,
    private readonly guard: RequestGuard,
  ) {
    this.origin = config.publicUrl;
    if (!config.demo.enabled) return;
    this.provider = {
      id: DEMO_PROVIDER_ID,
      name: 'Demo ID',
      kind: 'oidc',
      issuer: `${config.publicUrl}${DEMO_IDP_PATH}`,
      clientId: 'target-demo',
      clientSecret: randomBytes(24).toString('base64url'),
      scopes: ['openid', 'email', 'profile'],
    };
  }

  /** Express middleware mounted at DEMO_IDP_PATH: our sign-in page, and oidc-provider's endpoints. */
  readonly middleware = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (!this.provider) return next();
    this.serve(req, res).catch((error: unknown) => {
      this.logger.error(`Demo ID request failed: ${error instanceof Error ? error.name : 'unknown error'}`);
      if (!res.headersSent) res.writeHead(500, MESSAGE_PAGE_HEADERS).end(messagePage(problem('Demo ID failed. Try again.')));
      else res.end();
    });
  };

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      this.guard.check(req);
    } catch (error) {
      res.writeHead(error instanceof HttpException ? error.getStatus() : 403, MESSAGE_PAGE_HEADERS).end(messagePage(problem('This request is not allowed here.')));
      return;
    }
    const { oidc, callback } = await this.load();
    // Demo ID asks who you are at every sign-in, so one browser can try several people: it never
    // reads back the session cookie an earlier sign-in left.
    if (req.headers.cookie) req.headers.cookie = withoutCookies(req.headers.cookie, SESSION_COOKIE);
    const uid = INTERACTION.exec((req.url ?? '/').split('?')[0]!)?.[1];
    if (uid === undefined) {
      await callback(req, res);
      return;
    }
    const details = await oidc.interactionDetails(req, res).catch(() => undefined);
    if (!details || details.uid !== uid) {
      res.writeHead(410, MESSAGE_PAGE_HEADERS).end(messagePage(problem('This Demo ID sign-in is over. Start again from the sign-in page.')));
      return;
    }
    if (req.method === 'POST') await this.signIn(oidc, req, res);
    else if (req.method === 'GET') this.page(res, 200);
    else res.writeHead(405, { allow: 'GET, POST' }).end();
  }

  /** The name and e-mail typed: Demo ID signs that person in and grants what this server asked for. */
  private async signIn(oidc: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!postedFrom(req, this.origin)) {
      res.writeHead(403, MESSAGE_PAGE_HEADERS).end(messagePage(problem('This form must be sent from its own page.')));
      return;
    }
    let fields: URLSearchParams;
    try {
      fields = await readForm(req, 2048);
    } catch (error) {
      if (!(error instanceof FormBodyError)) throw error;
      res.writeHead(error.status, MESSAGE_PAGE_HEADERS).end(messagePage(problem(error.message)));
      return;
    }
    const typed = { name: fields.get('name') ?? '', email: fields.get('email') ?? '' };
    const person = personForm.safeParse(typed);
    if (!person.success) {
      this.page(res, 400, typed, person.error.issues[0]!.message);
      return;
    }
    const accountId = `demo-${createHash('sha256').update(person.data.email.toLowerCase()).digest('base64url').slice(0, 22)}`;
    this.remember(accountId, { name: person.data.name, email: person.data.email.toLowerCase() });
    const grant = new oidc.Grant({ accountId, clientId: this.provider!.clientId });
    grant.addOIDCScope(this.provider!.scopes.join(' '));
    const grantId = await grant.save();
    await oidc.interactionFinished(req, res, { login: { accountId, remember: false }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  private page(res: ServerResponse, status: number, typed?: Person, alert?: string): void {
    const page: PageMessage = {
      title: 'Demo ID',
      heading: 'Sign in to Demo ID',
      paragraphs: [
        'Demo ID is a pretend identity provider that comes with demo mode, so you can try “Continue with …” without registering an app with Google or Microsoft.',
        'Any name and e-mail address work; nothing is checked or sent anywhere.',
      ],
      form: {
        fields: [
          { label: 'Your name', name: 'name', kind: 'name', ...(typed && { value: typed.name }) },
          { label: 'E-mail address', name: 'email', kind: 'email', ...(typed && { value: typed.email }) },
        ],
        button: 'Sign in to Demo ID',
      },
      ...(alert !== undefined && { alert }),
    };
    res.writeHead(status, formPageHeaders(this.origin)).end(messagePage(page));
  }

  private remember(accountId: string, person: Person): void {
    this.people.delete(accountId);
    this.people.set(accountId, person);
    if (this.people.size > MAX_PEOPLE) this.people.delete(this.people.keys().next().value!);
  }

  private async create(): Promise<Provider> {
    const { default: Provider } = await import('oidc-provider');
    const provider = this.provider!;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const configuration: Configuration = {
      adapter: new DemoIdpStorage().adapterFor,
      responseTypes: ['code'],
      clients: [
        {
          client_id: provider.clientId,
          client_secret: provider.clientSecret,
          redirect_uris: [`${this.origin}${CALLBACK_PATH}/${DEMO_PROVIDER_ID}`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      pkce: { required: () => true },
      scopes: ['openid', 'email', 'profile'],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      // The ID token carries the claims its scopes grant (there is no userinfo endpoint to ask).
      conformIdTokenClaims: false,
      jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'demo-1', use: 'sig', alg: 'RS256' }] },
      cookies: { names: { session: SESSION_COOKIE, interaction: 'demo_idp_interaction', resume: 'demo_idp_resume' }, keys: [randomBytes(32).toString('base64url')] },
      interactions: { url: (_ctx, interaction) => `${DEMO_IDP_PATH}/interaction/${interaction.uid}` },
      findAccount: (_ctx, sub) => {
        const person = this.people.get(sub);
        return person && { accountId: sub, claims: async () => ({ sub, name: person.name, email: person.email, email_verified: true }) };
      },
      renderError: async (ctx, out) => {
        ctx.type = 'html';
        ctx.body = messagePage(problem(out.error_description ?? out.error));
      },
      features: { devInteractions: { enabled: false }, userinfo: { enabled: false }, rpInitiatedLogout: { enabled: false }, revocation: { enabled: false } },
      ttl: { AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600, AccessToken: 600 },
    };
    const oidc = new Provider(provider.issuer, configuration);
    oidc.proxy = this.origin.startsWith('https:');
    return oidc;
  }
}

const problem = (message: string): PageMessage => ({ title: 'Demo ID', heading: 'Demo ID could not sign you in', paragraphs: [message] });

/** A Cookie header without the cookies whose names begin with `name` (the cookie, and its signature `name.sig`). */
function withoutCookies(header: string, name: string): string {
  return header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => !part.startsWith(name))
    .join('; ');
}
