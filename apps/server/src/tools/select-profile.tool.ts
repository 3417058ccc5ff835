import { ToolName } from '@target-auth/shared/tools';
import { SessionService } from '../session/session.service.js';
import { profileInput, type ProfileInput } from '../session/session.inputs.js';
import { appOnlyToolMeta, McpTool, type McpToolProvider, STEP_ANNOTATIONS, type ToolDescriptor } from './mcp-tool.js';
import { codeAcceptedText, toolResult } from './tool-results.js';

/** Widget-only: who of a household is signing in. */
@McpTool()
export class SelectProfileTool implements McpToolProvider<typeof profileInput> {
  readonly name = ToolName.selectProfile;
  readonly descriptor: ToolDescriptor<typeof profileInput> = {
    title: 'Choose Target profile',
    description: 'Called by the sign-in widget only: picks who of a household is signing in.',
    inputSchema: profileInput,
    annotations: STEP_ANNOTATIONS,
    _meta: appOnlyToolMeta,
  };

  constructor(private readonly sessions: SessionService) {}

  async handle({ sessionId, profileId }: ProfileInput) {
    const result = await this.sessions.selectProfile(sessionId, profileId);
    return toolResult(result, codeAcceptedText(result));
  }
}
