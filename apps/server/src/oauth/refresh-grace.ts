/**
 * A retried refresh never forks the family. Refresh tokens rotate on every use;
 * the first request to present one claims its rotation (atomically, on every
 * instance) and records the successor it made. Any other request presenting
 * the same token within the grace (a client whose network lost the answer, or
 * two requests racing) gets that same successor and a new access token of the
 * same grant: no second chain. When the successor has itself been used by
 * then, or never appears, the request is refused, and a successor already used
 * means the old token was replayed: the grant is revoked. After the grace,
 * reuse revokes the grant (oidc-provider, as the storage then shows the token
 * used). Partners: oauth-storage.ts (the grace, `claimOnce`), oauth-provider.ts.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { OAuthStorage } from './oauth-storage.js';

/** How long a request retrying a rotation waits for the first request's successor. */
const WAIT_MS = 3000;
/** The claim outlives the grace a little, so a retry at its very end never wins a second rotation. */
const MARGIN_S = 5;

type Ctx = KoaContextWithOIDC;

export class RefreshGrace {
  /** Requests that lost the claim: the token they presented. */
  private readonly retries = new WeakMap<Ctx, string>();

  constructor(private readonly storage: OAuthStorage) {}

  /** oidc-provider's `rotateRefreshToken`: true for the one request that rotates this token. */
  readonly rotate = async (ctx: Ctx): Promise<boolean> => {
    const presented = ctx.oidc.entities.RefreshToken!;
    if (await this.storage.claimOnce(`rotate:${presented.jti}`, this.storage.graceSeconds + MARGIN_S)) return true;
    this.retries.set(ctx, presented.jti);
    return false;
  };

  /** Koa middleware around the token endpoint: records successors, and answers retries with them. */
  readonly middleware = async (ctx: Ctx, next: () => Promise<void>): Promise<void> => {
    await next();
    if (ctx.status !== 200 || !ctx.oidc) return;
    const rotated = ctx.oidc.entities.RotatedRefreshToken;
    if (rotated) {
      await this.successors().upsert(rotated.jti, { successor: ctx.oidc.entities.RefreshToken!.jti }, this.storage.graceSeconds + MARGIN_S);
      return;
    }
    const retried = this.retries.get(ctx);
    if (retried !== undefined) await this.answerRetry(ctx, retried);
  };

  private async answerRetry(ctx: Ctx, presented: string): Promise<void> {
    const successor = await this.successorOf(presented);
    if (successor !== undefined && (await this.isHead(ctx, successor))) {
      ctx.body = { ...(ctx.body as Record<string, unknown>), refresh_token: successor };
      return;
    }
    // No successor to give: the access token just made goes too.
    await ctx.oidc.entities.AccessToken?.destroy();
    const grantId = ctx.oidc.entities.RefreshToken?.grantId;
    if (successor !== undefined && grantId !== undefined) {
      // The chain moved on past the successor: the old token was replayed. Everything of the grant goes, and the grant.
      await this.storage.adapterFor('RefreshToken').revokeByGrantId(grantId);
      await this.storage.adapterFor('Grant').destroy(grantId);
    }
    ctx.status = 400;
    ctx.body = { error: 'invalid_grant', error_description: successor === undefined ? 'refresh token is being rotated; try again' : 'refresh token already used' };
  }

  /** Whether a refresh token is still the family's newest: not rotated in its own grace (the storage hides that use), nor used. */
  private async isHead(ctx: Ctx, value: string): Promise<boolean> {
    if ((await this.successors().find(value)) !== undefined) return false;
    const current = await ctx.oidc.provider.RefreshToken.find(value);
    return current !== undefined && !current.consumed;
  }

  private async successorOf(presented: string): Promise<string | undefined> {
    for (const deadline = Date.now() + WAIT_MS; ; await new Promise((resolve) => setTimeout(resolve, 50))) {
      const found = await this.successors().find(presented);
      if (typeof found?.['successor'] === 'string') return found['successor'];
      if (Date.now() > deadline) return undefined;
    }
  }

  private successors() {
    return this.storage.adapterFor('RefreshSuccessor');
  }
}
