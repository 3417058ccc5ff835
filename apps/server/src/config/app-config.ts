/**
 * The one place that reads the environment. `loadConfig` validates every setting
 * at boot and fails with a message naming each bad variable; the result is
 * injected as `AppConfig` (see config.module.ts). README's configuration table
 * lists the same variables.
 */
import { z } from 'zod';

const DEFAULT_ORIGINS = [
  'https://chatgpt.com',
  'https://*.oaiusercontent.com',
  'https://claude.ai',
  'https://*.claudemcpcontent.com',
  'http://localhost:5173',
  'http://localhost:6274',
];

const list = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const demoUsers = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"ada@example.com":{"name":"Ada Lovelace"}}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().email(), z.strictObject({ name: z.string().min(1).max(100) })));

const envSchema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  SESSION_TTL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(600_000),
  MAX_SESSIONS: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  MAX_SSE_STREAMS: z.coerce.number().int().min(1).max(100_000).default(1000),
  MAX_SSE_STREAMS_PER_CLIENT: z.coerce.number().int().min(1).max(100_000).default(20),
  SSE_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
  SSE_MAX_BUFFER_BYTES: z.coerce.number().int().min(65_536).max(104_857_600).default(1_048_576),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
  ALLOWED_HOSTS: list.optional(),
  ALLOWED_ORIGINS: list.optional(),
  DEMO_MODE: flag.default(true),
  ALLOW_DEMO_IN_PRODUCTION: flag.default(false),
  DEMO_NAME: z.string().min(1).max(100).default('Lauren Bailey'),
  DEMO_USERS: demoUsers.optional(),
  DEMO_CODE: z.string().regex(/^[0-9]{6}$/, 'must be exactly six digits').optional(),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
});

/** Validated settings, injected wherever needed under the `AppConfig` class token. */
export class AppConfig {
  readonly port!: number;
  readonly host!: string;
  /** Origin under which hosts reach this server, e.g. https://example.ngrok.app. */
  readonly publicUrl!: string;
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
  readonly logLevel!: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses and checks `env`; throws a `ConfigError` listing every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && e.DEMO_MODE && !e.ALLOW_DEMO_IN_PRODUCTION) {
    throw new ConfigError(
      'Invalid configuration:\n  DEMO_MODE: demo sign-in accepts any password and is refused when NODE_ENV=production; ' +
        'set ALLOW_DEMO_IN_PRODUCTION=true to force it',
    );
  }
  if (!e.DEMO_MODE) {
    throw new ConfigError(
      'Invalid configuration:\n  DEMO_MODE: real accounts are not wired in yet; implement AccountDirectory and ' +
        'OneTimeCodes (apps/server/src/accounts) and bind them in accounts.module.ts',
    );
  }
  const publicUrl = new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  const users: Record<string, { name: string }> = {};
  for (const [email, user] of Object.entries(e.DEMO_USERS ?? {})) users[email.toLowerCase()] = user;
  const config: AppConfig = {
    port: e.PORT,
    host: e.HOST,
    publicUrl: publicUrl.origin,
    sessionTtlMs: e.SESSION_TTL_MS,
    maxSessions: e.MAX_SESSIONS,
    sse: {
      maxStreams: e.MAX_SSE_STREAMS,
      maxStreamsPerClient: e.MAX_SSE_STREAMS_PER_CLIENT,
      idleTimeoutMs: e.SSE_IDLE_TIMEOUT_MS,
      maxBufferedBytes: e.SSE_MAX_BUFFER_BYTES,
    },
    maxBodyBytes: e.MAX_BODY_BYTES,
    allowedHosts: e.ALLOWED_HOSTS ?? ['localhost', '127.0.0.1', '[::1]', publicUrl.hostname],
    allowedOrigins: e.ALLOWED_ORIGINS ?? [publicUrl.origin, ...DEFAULT_ORIGINS],
    demo: { enabled: e.DEMO_MODE, defaultName: e.DEMO_NAME, users, code: e.DEMO_CODE },
    logLevel: e.LOG_LEVEL,
  };
  return Object.freeze(config);
}
