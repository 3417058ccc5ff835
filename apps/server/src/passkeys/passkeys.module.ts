import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { HttpModule } from '../http/http.module.js';
import { SessionModule } from '../session/session.module.js';
import { WidgetModule } from '../widget/widget.module.js';
import { PasskeyPageController } from './passkey-page.controller.js';
import { PasskeySignIn } from './passkey-sign-in.js';

/** Signing in with a passkey on this server's pages: the hosted sign-in page, the account page, and a chat's passkey page (/auth/passkey). */
@Module({
  imports: [AccountsModule, SessionModule, HttpModule, WidgetModule],
  controllers: [PasskeyPageController],
  providers: [PasskeySignIn],
  exports: [PasskeySignIn],
})
export class PasskeysModule {}
