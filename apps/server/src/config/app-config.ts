/**
 * The one place that reads the environment. `loadConfig` validates every
 * setting at boot: an empty variable counts as unset, and each bad one is
 * named with the value given (never a secret's) and what is allowed, in plain
 * words. The result is injected as `AppConfig` (see config.module.ts). The
 * docs/configuration.md and .env.example list the same variables.
 */
import { z } from 'zod';
import { issuerUrl, jsonText, oidcProviders, type UpstreamProvider, upstreamProviders } from './upstream.js';
import { ownOrigins, unique } from './urls.js';

/** Origins every install allows unless KEEP_DEFAULT_ORIGINS=false: the hosts' sandboxes and local tools. */
export const DEFAULT_ORIGINS = [
  'https://chatgpt.com',
  'https://*.oaiusercontent.com',
  'https://claude.ai',
  'https://*.claudemcpcontent.com',
  'http://localhost:5173',
  'http://localhost:6274',
];
/** Host names every install allows unless KEEP_DEFAULT_HOSTS=false. */
export const DEFAULT_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

const list = z.string().transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));
const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const demoUsers = jsonText.pipe(z.record(z.string().email(), z.strictObject({ name: z.string().min(1).max(100) })));

/** A base64 (or base64url) key of at least 32 bytes, decoded. */
const base64Key = z
  .string()
  .transform((text) => Buffer.from(text, 'base64'))
  .refine((key) => key.length >= 32);

/** Each setting's schema and, for errors, what it allows in plain words. */
const SETTINGS = {
  NODE_ENV: [z.string().default('development'), 'any text, e.g. "production"'],
  PORT: [whole(0, 65535).default(3000), 'a whole number from 0 to 65535'],
  HOST: [z.string().min(1).default('127.0.0.1'), 'an interface address such as 127.0.0.1 or 0.0.0.0'],
  PUBLIC_URL: [z.url({ protocol: /^https?$/ }).optional(), 'an http:// or https:// URL, e.g. https://example.ngrok.app'],
  SESSION_TTL_MS: [whole(1000, 86_400_000).default(600_000), 'a whole number of milliseconds from 1000 to 86400000'],
  MAX_SESSIONS: [whole(1, 10_000_000).default(100_000), 'a whole number from 1 to 10000000'],
  MAX_SSE_STREAMS: [whole(1, 100_000).default(1000), 'a whole number from 1 to 100000'],
  MAX_SSE_STREAMS_PER_CLIENT: [whole(1, 100_000).default(20), 'a whole number from 1 to 100000'],
  SSE_IDLE_TIMEOUT_MS: [whole(1000, 86_400_000).default(300_000), 'a whole number of milliseconds from 1000 to 86400000'],
  SSE_MAX_BUFFER_BYTES: [whole(65_536, 104_857_600).default(1_048_576), 'a whole number of bytes from 65536 to 104857600'],
  MAX_BODY_BYTES: [whole(1024, 10_485_760).default(65_536), 'a whole number of bytes from 1024 to 10485760'],
  ALLOWED_HOSTS: [list.optional(), 'a comma-separated list of host names'],
  KEEP_DEFAULT_HOSTS: [flag.default(true), 'true or false'],
  ALLOWED_ORIGINS: [list.optional(), 'a comma-separated list of origins or https://*.domain patterns'],
  KEEP_DEFAULT_ORIGINS: [flag.default(true), 'true or false'],
  DEMO_MODE: [flag.default(true), 'true or false'],
  ALLOW_DEMO_IN_PRODUCTION: [flag.default(false), 'true or false'],
  DEMO_NAME: [z.string().min(1).max(100).default('Lauren Bailey'), 'a name of 1 to 100 characters'],
  DEMO_USERS: [demoUsers.optional(), 'a JSON map of e-mail addresses to names, e.g. {"ada@example.com":{"name":"Ada Lovelace"}}'],
  DEMO_CODE: [z.string().regex(/^[0-9]{6}$/).optional(), 'exactly six digits'],
  DATA_DIR: [z.string().min(1).default('./data'), 'a directory path, e.g. ./data'],
  DATABASE_URL: [z.url({ protocol: /^postgres(ql)?$/ }).optional(), 'a postgres:// URL, e.g. postgres://user@127.0.0.1:5432/target'],
  SECRET_KEY: [base64Key.optional(), 'at least 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`'],
  SMTP_URL: [z.url({ protocol: /^smtps?$/ }).optional(), 'an smtp:// or smtps:// URL, e.g. smtps://user:password@smtp.example.com:465'],
  MAIL_FROM: [z.string().min(3).max(200).default('Target <no-reply@localhost>'), 'a sender such as "Target <no-reply@example.com>"'],
  REDIS_URL: [z.url({ protocol: /^rediss?$/ }).optional(), 'a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0'],
  CODE_TTL_MS: [whole(60_000, 3_600_000).default(600_000), 'a whole number of milliseconds from 60000 to 3600000'],
  REQUIRE_AUTH: [flag.default(false), 'true or false'],
  ACCESS_TOKEN_TTL_S: [whole(1, 86_400).default(3600), 'a whole number of seconds from 1 to 86400'],
  REFRESH_TOKEN_TTL_S: [whole(60, 31_536_000).default(2_592_000), 'a whole number of seconds from 60 to 31536000'],
  REGISTRATIONS_PER_HOUR: [whole(1, 100_000).default(20), 'a whole number from 1 to 100000'],
  METRICS: [flag.default(false), 'true or false'],
  METRICS_TOKEN: [z.string().min(16).optional(), 'a token of at least 16 characters'],
  LOG_LEVEL: [z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'), 'one of error, warn, log, debug, verbose'],
  LOG_FORMAT: [z.enum(['text', 'json']).default('text'), 'text or json'],
  GOOGLE_CLIENT_ID: [z.string().min(1).max(500).optional(), 'the client ID of your Google OAuth client'],
  GOOGLE_CLIENT_SECRET: [z.string().min(1).max(2000).optional(), 'the client secret of your Google OAuth client'],
  GOOGLE_HOSTED_DOMAIN: [z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i).optional(), 'a domain name, e.g. example.com'],
  GOOGLE_ISSUER: [issuerUrl.optional(), 'an https:// issuer URL (http:// only on a loopback address)'],
  MICROSOFT_CLIENT_ID: [z.string().min(1).max(500).optional(), 'the application (client) ID of your Microsoft Entra app'],
  MICROSOFT_CLIENT_SECRET: [z.string().min(1).max(2000).optional(), 'a client secret of your Microsoft Entra app'],
  MICROSOFT_TENANT: [z.string().regex(/^(common|organizations|consumers|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i).default('common'), 'common, organizations, consumers or a tenant id (a GUID)'],
  MICROSOFT_ISSUER: [issuerUrl.optional(), 'an https:// issuer URL (http:// only on a loopback address)'],
  OIDC_PROVIDERS: [oidcProviders.optional(), 'a JSON array of {"id","name","issuer","clientId","clientSecret","scopes"} (ids of lowercase letters, digits and dashes, not google, microsoft or demo)'],
  UPSTREAM_SIGNUP: [flag.default(true), 'true or false'],
} as const satisfies Record<string, readonly [z.ZodType, string]>;

type Setting = keyof typeof SETTINGS;
/** Every environment variable the server reads (docs/configuration.md and .env.example list the same). */
export const SETTING_NAMES = Object.keys(SETTINGS) as Setting[];
/** Values never repeated in an error message. */
const SECRETS: ReadonlySet<Setting> = new Set<Setting>(['DEMO_CODE', 'METRICS_TOKEN', 'SECRET_KEY', 'SMTP_URL', 'DATABASE_URL', 'REDIS_URL', 'GOOGLE_CLIENT_SECRET', 'MICROSOFT_CLIENT_SECRET', 'OIDC_PROVIDERS']);

const envSchema = z.object(
  Object.fromEntries(Object.entries(SETTINGS).map(([name, [schema]]) => [name, schema])) as {
    [K in Setting]: (typeof SETTINGS)[K][0];
  },
);

/** Validated settings, injected wherever needed under the `AppConfig` class token. */
export class AppConfig {
  readonly port!: number;
  readonly host!: string;
  /** Origin under which hosts reach this server, e.g. https://example.ngrok.app. */
  readonly publicUrl!: string;
  /** The MCP endpoint under PUBLIC_URL: what hosts connect to, and the resource (audience) of linked tokens. */
  readonly mcpUrl!: string;
  readonly sessionTtlMs!: number;
  readonly maxSessions!: number;
  /** Legacy HTTP+SSE streams: caps, idle timeout and the outgoing buffer bound per stream. */
  readonly sse!: { maxStreams: number; maxStreamsPerClient: number; idleTimeoutMs: number; maxBufferedBytes: number };
  readonly maxBodyBytes!: number;
  /** Host names (no port) accepted in the Host header. */
  readonly allowedHosts!: readonly string[];
  /** Exact origins or `https://*.domain` patterns allowed by Origin checks and CORS. */
  readonly allowedOrigins!: readonly string[];
  readonly demo!: {
    enabled: boolean;
    defaultName: string;
    users: Readonly<Record<string, { name: string }>>;
    /** When set, the only code accepted; unset, any six digits pass. */
    code: string | undefined;
  };
  /**
   * Real accounts (DEMO_MODE=false): the database (embedded PGlite in `dataDir`
   * unless `databaseUrl`), the key for code HMACs and TOTP encryption (generated
   * into `dataDir` when unset), and where codes are mailed (`dataDir/outbox`
   * without `smtpUrl`).
   */
  readonly accounts!: {
    dataDir: string;
    databaseUrl: string | undefined;
    secretKey: Buffer | undefined;
    smtpUrl: string | undefined;
    mailFrom: string;
    codeTtlMs: number;
  };
  /** Sessions, code state, limits and challenge use on Redis (shared by instances) when set; in memory otherwise. */
  readonly redisUrl!: string | undefined;
  /**
   * Account linking (OAuth): whether every /mcp request needs a token, token
   * lifetimes, and dynamic client registrations allowed per address per hour.
   */
  readonly oauth!: { requireAuth: boolean; accessTokenTtlSeconds: number; refreshTokenTtlSeconds: number; registrationsPerHour: number };
  /**
   * Upstream sign-in: the configured providers in button order (the demo
   * provider is added in demo mode by the upstream module), and whether a first
   * sign-in with a verified e-mail nobody has makes an account.
   */
  readonly upstream!: { providers: readonly UpstreamProvider[]; signup: boolean };
  /** GET /metrics: served when enabled (METRICS=true, or a METRICS_TOKEN, which it then requires). */
  readonly metrics!: { enabled: boolean; token: string | undefined };
  readonly logLevel!: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /** `text` for people, `json` (one object per line, with request ids) for log pipelines. */
  readonly logFormat!: 'text' | 'json';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses and checks `env`; throws a `ConfigError` with one plain line per invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const given: Partial<Record<Setting, string>> = {};
  for (const name of Object.keys(SETTINGS) as Setting[]) {
    const value = env[name]?.trim();
    if (value) given[name] = value;
  }
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((issue) => issue.path[0] as Setting))];
    throw new ConfigError(`Invalid configuration:\n${names.map((name) => `  ${explain(name, given[name])}`).join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && e.DEMO_MODE && !e.ALLOW_DEMO_IN_PRODUCTION) {
    throw new ConfigError(
      'Invalid configuration:\n  DEMO_MODE: demo sign-in accepts any password and is refused when NODE_ENV=production; ' +
        'set ALLOW_DEMO_IN_PRODUCTION=true to force it',
    );
  }
  const upstream = upstreamProviders(e);
  if (upstream.problems.length > 0) throw new ConfigError(`Invalid configuration:\n${upstream.problems.map((problem) => `  ${problem}`).join('\n')}`);
  const publicUrl = new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  const users: Record<string, { name: string }> = {};
  for (const [email, user] of Object.entries(e.DEMO_USERS ?? {})) users[email.toLowerCase()] = user;
  const config: AppConfig = {
    port: e.PORT,
    host: e.HOST,
    publicUrl: publicUrl.origin,
    mcpUrl: `${publicUrl.origin}/mcp`,
    sessionTtlMs: e.SESSION_TTL_MS,
    maxSessions: e.MAX_SESSIONS,
    sse: {
      maxStreams: e.MAX_SSE_STREAMS,
      maxStreamsPerClient: e.MAX_SSE_STREAMS_PER_CLIENT,
      idleTimeoutMs: e.SSE_IDLE_TIMEOUT_MS,
      maxBufferedBytes: e.SSE_MAX_BUFFER_BYTES,
    },
    maxBodyBytes: e.MAX_BODY_BYTES,
    // Adding never removes: listed entries extend the defaults unless KEEP_DEFAULT_*=false,
    // and PUBLIC_URL (the server's own address) is always allowed.
    allowedHosts: unique([publicUrl.hostname, ...(e.KEEP_DEFAULT_HOSTS ? DEFAULT_HOSTS : []), ...(e.ALLOWED_HOSTS ?? [])]),
    allowedOrigins: unique([...ownOrigins(e.PUBLIC_URL, publicUrl, e.PORT), ...(e.KEEP_DEFAULT_ORIGINS ? DEFAULT_ORIGINS : []), ...(e.ALLOWED_ORIGINS ?? [])]),
    demo: { enabled: e.DEMO_MODE, defaultName: e.DEMO_NAME, users, code: e.DEMO_CODE },
    accounts: {
      dataDir: e.DATA_DIR,
      databaseUrl: e.DATABASE_URL,
      secretKey: e.SECRET_KEY,
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      codeTtlMs: e.CODE_TTL_MS,
    },
    redisUrl: e.REDIS_URL,
    oauth: {
      requireAuth: e.REQUIRE_AUTH,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_S,
      refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_S,
      registrationsPerHour: e.REGISTRATIONS_PER_HOUR,
    },
    upstream: { providers: upstream.providers, signup: e.UPSTREAM_SIGNUP },
    metrics: { enabled: e.METRICS || e.METRICS_TOKEN !== undefined, token: e.METRICS_TOKEN },
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
  };
  return Object.freeze(config);
}

/** `PORT must be a whole number from 0 to 65535, got "abc"` (a secret's value is not repeated). */
function explain(name: Setting, value: string | undefined): string {
  const got = SECRETS.has(name) ? '' : `, got "${value}"`;
  return `${name} must be ${SETTINGS[name][1]}${got}`;
}
