import { ToolName } from '@target-auth/shared/tools';
import { SessionService } from '../session/session.service.js';
import { sessionInput } from '../session/session.inputs.js';
import { appOnlyToolMeta, McpTool, type McpToolProvider, STEP_ANNOTATIONS, type ToolDescriptor } from './mcp-tool.js';
import { toolResult } from './tool-results.js';

/** Widget-only: another code, once the resend cooldown has passed (same limits as the HTTP API). */
@McpTool()
export class ResendCodeTool implements McpToolProvider<typeof sessionInput> {
  readonly name = ToolName.resendCode;
  readonly descriptor: ToolDescriptor<typeof sessionInput> = {
    title: 'Resend Target code',
    description: 'Called by the sign-in widget only: sends a new 6-digit code.',
    inputSchema: sessionInput,
    annotations: STEP_ANNOTATIONS,
    _meta: appOnlyToolMeta,
  };

  constructor(private readonly sessions: SessionService) {}

  async handle({ sessionId }: { sessionId: string }) {
    return toolResult(await this.sessions.resendCode(sessionId), 'A new code was sent.');
  }
}
