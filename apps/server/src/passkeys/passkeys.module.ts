import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { SessionModule } from '../session/session.module.js';
import { PasskeySignIn } from './passkey-sign-in.js';

/** Signing in with a passkey on this server's pages (the hosted sign-in page, the account page). */
@Module({
  imports: [AccountsModule, SessionModule],
  providers: [PasskeySignIn],
  exports: [PasskeySignIn],
})
export class PasskeysModule {}
