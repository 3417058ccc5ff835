import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AccountsHealth } from '../accounts/accounts.module.js';
import { SessionStore } from '../session/session.store.js';

/** What readiness checks, whether each part answered, and what each part is. */
export interface Readiness {
  status: 'ready' | 'unavailable';
  /** `store`: sessions; `database`: accounts (real mode only). */
  checks: { store: 'ok' | 'failed'; database?: 'ok' | 'failed' };
  backends: { store: 'memory' | 'redis'; database?: 'embedded' | 'postgres' };
}

/**
 * `GET /healthz`: liveness (the process answers). `GET /readyz`: readiness,
 * 200 when the session store and, in real mode, the accounts database answer,
 * 503 naming the part that did not (load balancers stop sending traffic).
 */
@Controller()
export class HealthController {
  constructor(
    private readonly store: SessionStore,
    private readonly accounts: AccountsHealth,
  ) {}

  @Get('healthz')
  check(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @HttpCode(200)
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    const [store, database] = await Promise.all([
      this.store.ping().then(
        () => 'ok' as const,
        () => 'failed' as const,
      ),
      this.accounts.databaseAnswers().then((answers) => (answers === undefined ? undefined : answers ? ('ok' as const) : ('failed' as const))),
    ]);
    const failed = store === 'failed' || database === 'failed';
    if (failed) res.status(503).set('Retry-After', '5');
    const databaseKind = this.accounts.databaseKind;
    return {
      status: failed ? 'unavailable' : 'ready',
      checks: { store, ...(database ? { database } : {}) },
      backends: { store: this.store.kind, ...(databaseKind ? { database: databaseKind } : {}) },
    };
  }
}
