import { Module } from '@nestjs/common';
import { HttpModule } from '../http/http.module.js';
import { SessionModule } from '../session/session.module.js';
import { DemoIdp } from './demo-idp.js';
import { StartController } from './start.controller.js';
import { UpstreamController } from './upstream.controller.js';
import { UpstreamSignIn } from './upstream-sign-in.js';

/** Sign-in with Google, Microsoft or any OpenID provider: the relying parties, a chat's start page, the callback, and demo mode's Demo ID. */
@Module({
  imports: [SessionModule, HttpModule],
  controllers: [UpstreamController, StartController],
  providers: [UpstreamSignIn, DemoIdp],
  exports: [UpstreamSignIn, DemoIdp],
})
export class UpstreamModule {}
