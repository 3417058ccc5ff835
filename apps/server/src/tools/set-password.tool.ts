import { ToolName } from '@target-auth/shared/tools';
import { SessionService } from '../session/session.service.js';
import { newPasswordInput, type NewPasswordInput } from '../session/session.inputs.js';
import { appOnlyToolMeta, McpTool, type McpToolProvider, STEP_ANNOTATIONS, type ToolDescriptor } from './mcp-tool.js';
import { codeAcceptedText, toolResult } from './tool-results.js';

/** Widget-only: the new password after a reset code (and the authenticator's, when the account has one). */
@McpTool()
export class SetPasswordTool implements McpToolProvider<typeof newPasswordInput> {
  readonly name = ToolName.setPassword;
  readonly descriptor: ToolDescriptor<typeof newPasswordInput> = {
    title: 'Set new Target password',
    description: 'Called by the sign-in widget only: sets the new password after a reset code.',
    inputSchema: newPasswordInput,
    annotations: STEP_ANNOTATIONS,
    _meta: appOnlyToolMeta,
  };

  constructor(private readonly sessions: SessionService) {}

  async handle({ sessionId, password }: NewPasswordInput) {
    const result = await this.sessions.setPassword(sessionId, password);
    return toolResult(result, codeAcceptedText(result));
  }
}
