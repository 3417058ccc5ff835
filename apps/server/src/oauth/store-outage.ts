import type { KoaContextWithOIDC } from 'oidc-provider';
import type Provider from 'oidc-provider';
import { StoreUnavailableError } from '../common/store-unavailable.js';

/**
 * A request that failed because the state store did not answer (Redis down) is
 * not a server bug: 503 `temporarily_unavailable` with `Retry-After`, as /mcp
 * answers, instead of oidc-provider's 500 `server_error`.
 */
export function storeOutageAsUnavailable(provider: Provider) {
  const failed = new WeakSet<object>();
  provider.on('server_error', (ctx: object, error: unknown) => {
    for (let cause = error; cause instanceof Error; cause = cause.cause) {
      if (cause instanceof StoreUnavailableError) failed.add(ctx);
    }
  });
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    if (!failed.has(ctx)) return;
    ctx.status = 503;
    ctx.set('Retry-After', '5');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { error: 'temporarily_unavailable', error_description: 'Account linking is temporarily unavailable. Try again in a moment.' };
  };
}
