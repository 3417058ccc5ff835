import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { HttpModule } from '../http/http.module.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { PasskeysModule } from '../passkeys/passkeys.module.js';
import { SessionModule } from '../session/session.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { AccountCookies } from './account-cookies.js';
import { AccountPage, defaultAccountPagePath } from './account-page.js';
import { AccountPageController } from './account-page.controller.js';
import { AccountPageService } from './account-page.service.js';

/** The account page (/account): the person's own view of their account, the apps linked to it, and their sign-ins. */
@Module({
  imports: [AccountsModule, SessionModule, HttpModule, OAuthModule, UpstreamModule, PasskeysModule],
  controllers: [AccountPageController],
  providers: [AccountCookies, AccountPageService, { provide: AccountPage, useFactory: () => new AccountPage(defaultAccountPagePath()) }],
})
export class AccountModule {}
