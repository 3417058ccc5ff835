/**
 * Upstream sign-in providers (Google, Microsoft, any OpenID provider) as the
 * environment configures them; app-config.ts reads the variables, this file
 * checks what they mean together and builds the list the buttons follow.
 */
import { z } from 'zod';
import { PASSKEY_HAND_OFF, PASSKEY_PAGE_PATH } from '@target-auth/shared/linking';

export type UpstreamKind = 'google' | 'microsoft' | 'oidc' | 'demo';

export interface UpstreamProvider {
  /** In URLs (`/auth/callback/{id}`) and in the identities table. */
  id: string;
  /** The button says "Continue with {name}". */
  name: string;
  kind: UpstreamKind;
  /** Where discovery starts (`{issuer}/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  scopes: readonly string[];
  /** Google: the one Workspace domain admitted (the ID token's `hd`). */
  hostedDomain?: string;
  /** Microsoft: `common`, `organizations`, `consumers` or a tenant id. */
  tenant?: string;
}

/** Where providers send the browser back: `{PUBLIC_URL}{CALLBACK_PATH}/{provider id}`. */
export const CALLBACK_PATH = '/auth/callback';

/** Where a chat's start link opens, in the person's browser: `{PUBLIC_URL}{START_PATH}/{link}`. */
export const START_PATH = '/auth/start';

/** Where a chat's passkey hand-off goes once its start page took the chat's code: this server's passkey page. */
export const PASSKEY_PATH = PASSKEY_PAGE_PATH;
/** The cookie that lets the browser on the passkey page sign in the chat's session (its pass, sealed). */
export const PASSKEY_PASS_COOKIE = 'target_passkey_pass';

/** The tenant of Microsoft personal accounts. */
export const MICROSOFT_CONSUMERS_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
export const GOOGLE_ISSUER = 'https://accounts.google.com';
export const microsoftIssuer = (tenant: string): string => `https://login.microsoftonline.com/${tenant}/v2.0`;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An issuer URL: https, or http on a loopback address (a local provider for tests and development). */
export const issuerUrl = z
  .url({ protocol: /^https?$/ })
  .refine((text) => {
    const url = new URL(text);
    return (url.protocol === 'https:' || LOOPBACK.has(url.hostname)) && url.search === '' && url.hash === '';
  })
  .transform((text) => text.replace(/\/$/, ''));

const PROVIDER_ID = /^[a-z][a-z0-9-]{0,31}$/;
/** Google's and Microsoft's own settings, Demo ID, and a chat's passkey hand-off. */
const RESERVED_IDS = new Set(['google', 'microsoft', 'demo', PASSKEY_HAND_OFF.id]);

/** A setting whose text is JSON, parsed (then checked by the schema piped after it). */
export const jsonText = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not JSON' });
    return z.NEVER;
  }
});

/** OIDC_PROVIDERS: a JSON array of `{ id, name, issuer, clientId, clientSecret?, scopes? }`. */
export const oidcProviders = jsonText.pipe(
    z
      .array(
        z.strictObject({
          id: z.string().regex(PROVIDER_ID).refine((id) => !RESERVED_IDS.has(id)),
          name: z.string().min(1).max(40),
          issuer: issuerUrl,
          clientId: z.string().min(1).max(500),
          clientSecret: z.string().min(1).max(2000).optional(),
          scopes: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/)).max(20).optional(),
        }),
      )
      .max(10)
      .refine((providers) => new Set(providers.map((provider) => provider.id)).size === providers.length),
  );

/** What app-config.ts read, by variable. */
export interface UpstreamSettings {
  GOOGLE_CLIENT_ID?: string;
  GOOGLE_CLIENT_SECRET?: string;
  GOOGLE_HOSTED_DOMAIN?: string;
  GOOGLE_ISSUER?: string;
  MICROSOFT_CLIENT_ID?: string;
  MICROSOFT_CLIENT_SECRET?: string;
  MICROSOFT_TENANT: string;
  MICROSOFT_ISSUER?: string;
  OIDC_PROVIDERS?: z.infer<typeof oidcProviders>;
}

const OPENID_SCOPES = ['openid', 'email', 'profile'] as const;

/**
 * The configured providers in button order (Google, Microsoft, then
 * OIDC_PROVIDERS as listed), or the problems with the settings, one per
 * variable, as `NAME: what is wrong`.
 */
export function upstreamProviders(e: UpstreamSettings): { providers: UpstreamProvider[]; problems: string[] } {
  const providers: UpstreamProvider[] = [];
  const problems: string[] = [];
  const pair = (prefix: 'GOOGLE' | 'MICROSOFT'): { clientId: string; clientSecret: string } | undefined => {
    const clientId = e[`${prefix}_CLIENT_ID`];
    const clientSecret = e[`${prefix}_CLIENT_SECRET`];
    if (clientId && clientSecret) return { clientId, clientSecret };
    if (clientId) problems.push(`${prefix}_CLIENT_SECRET must be set with ${prefix}_CLIENT_ID`);
    else if (clientSecret) problems.push(`${prefix}_CLIENT_ID must be set with ${prefix}_CLIENT_SECRET`);
    return undefined;
  };
  const google = pair('GOOGLE');
  if (google) {
    providers.push({
      id: 'google',
      name: 'Google',
      kind: 'google',
      issuer: e.GOOGLE_ISSUER ?? GOOGLE_ISSUER,
      ...google,
      scopes: OPENID_SCOPES,
      ...(e.GOOGLE_HOSTED_DOMAIN !== undefined && { hostedDomain: e.GOOGLE_HOSTED_DOMAIN.toLowerCase() }),
    });
  } else if (e.GOOGLE_HOSTED_DOMAIN !== undefined || e.GOOGLE_ISSUER !== undefined) {
    problems.push('GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET must be set for the other GOOGLE_ settings to apply');
  }
  const microsoft = pair('MICROSOFT');
  if (microsoft) {
    const tenant = e.MICROSOFT_TENANT.toLowerCase();
    providers.push({ id: 'microsoft', name: 'Microsoft', kind: 'microsoft', issuer: e.MICROSOFT_ISSUER ?? microsoftIssuer(tenant), ...microsoft, scopes: OPENID_SCOPES, tenant });
  } else if (e.MICROSOFT_ISSUER !== undefined) {
    problems.push('MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET must be set for MICROSOFT_ISSUER to apply');
  }
  for (const provider of e.OIDC_PROVIDERS ?? []) {
    const scopes = [...new Set([...OPENID_SCOPES, ...(provider.scopes ?? [])])];
    providers.push({ ...provider, kind: 'oidc', clientSecret: provider.clientSecret, scopes });
  }
  return { providers, problems };
}
