import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { SessionModule } from '../session/session.module.js';
import { HealthController } from './health.controller.js';

@Module({ imports: [SessionModule, AccountsModule], controllers: [HealthController] })
export class HealthModule {}
