import { ToolName } from '@target-auth/shared/tools';
import { SessionService } from '../session/session.service.js';
import { credentialsInput, type CredentialsInput } from '../session/session.inputs.js';
import { appOnlyToolMeta, McpTool, type McpToolProvider, STEP_ANNOTATIONS, type ToolDescriptor } from './mcp-tool.js';
import { toolResult } from './tool-results.js';

/** Widget-only step 1: email and password (and, after failures, the solved challenge). */
@McpTool()
export class SubmitCredentialsTool implements McpToolProvider<typeof credentialsInput> {
  readonly name = ToolName.submitCredentials;
  readonly descriptor: ToolDescriptor<typeof credentialsInput> = {
    title: 'Submit Target credentials',
    description: 'Called by the sign-in widget only: checks the email and password the user typed.',
    inputSchema: credentialsInput,
    annotations: STEP_ANNOTATIONS,
    _meta: appOnlyToolMeta,
  };

  constructor(private readonly sessions: SessionService) {}

  async handle({ sessionId, email, password, altcha, device }: CredentialsInput) {
    return toolResult(
      await this.sessions.submitCredentials(sessionId, email, password, { altcha, device }),
      'Credentials accepted; waiting for the 6-digit code.',
    );
  }
}
