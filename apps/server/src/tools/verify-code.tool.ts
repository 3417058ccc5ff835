import { ToolName } from '@target-auth/shared/tools';
import { SessionService } from '../session/session.service.js';
import { codeInput, type CodeInput } from '../session/session.inputs.js';
import { appOnlyToolMeta, McpTool, type McpToolProvider, STEP_ANNOTATIONS, type ToolDescriptor } from './mcp-tool.js';
import { codeAcceptedText, toolResult } from './tool-results.js';

/** Widget-only step 2: the six-digit code (mailed, or from an authenticator app). */
@McpTool()
export class VerifyCodeTool implements McpToolProvider<typeof codeInput> {
  readonly name = ToolName.verifyCode;
  readonly descriptor: ToolDescriptor<typeof codeInput> = {
    title: 'Verify Target code',
    description: 'Called by the sign-in widget only: checks the 6-digit code the user typed.',
    inputSchema: codeInput,
    annotations: STEP_ANNOTATIONS,
    _meta: appOnlyToolMeta,
  };

  constructor(private readonly sessions: SessionService) {}

  async handle({ sessionId, code }: CodeInput) {
    const result = await this.sessions.verifyCode(sessionId, code);
    return toolResult(result, codeAcceptedText(result));
  }
}
