import { Module } from '@nestjs/common';
import { SessionModule } from '../session/session.module.js';
import { WidgetModule } from '../widget/widget.module.js';
import { AccountsModule } from '../accounts/accounts.module.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { CheckUpstreamTool } from './check-upstream.tool.js';
import { SignInScreens } from './sign-in-screens.js';
import { StartUpstreamTool } from './start-upstream.tool.js';
import { AccountTool } from './account.tool.js';
import { AuthStatusTool } from './auth-status.tool.js';
import { AuthenticateTool } from './authenticate.tool.js';
import { CreateSessionTool } from './create-session.tool.js';
import { ResendCodeTool } from './resend-code.tool.js';
import { SelectProfileTool } from './select-profile.tool.js';
import { SetPasswordTool } from './set-password.tool.js';
import { StartPasswordResetTool } from './start-password-reset.tool.js';
import { SubmitCredentialsTool } from './submit-credentials.tool.js';
import { VerifyCodeTool } from './verify-code.tool.js';

/** Every MCP tool is one provider here; the MCP module discovers them by their `@McpTool()` mark. */
@Module({
  imports: [SessionModule, WidgetModule, AccountsModule, OAuthModule, UpstreamModule],
  providers: [
    CreateSessionTool,
    AuthenticateTool,
    AuthStatusTool,
    SubmitCredentialsTool,
    VerifyCodeTool,
    ResendCodeTool,
    StartPasswordResetTool,
    SetPasswordTool,
    SelectProfileTool,
    AccountTool,
    StartUpstreamTool,
    CheckUpstreamTool,
    SignInScreens,
  ],
})
export class ToolsModule {}
