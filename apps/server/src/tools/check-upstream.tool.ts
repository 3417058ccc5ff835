import { ToolName } from '@target-auth/shared/tools';
import { upstreamCheckInput } from '../session/session.inputs.js';
import { UpstreamSignIn } from '../upstream/upstream-sign-in.js';
import { appOnlyToolMeta, McpTool, type McpToolProvider, type ToolDescriptor } from './mcp-tool.js';
import { SignInScreens } from './sign-in-screens.js';
import { toolResult } from './tool-results.js';

type CheckInput = typeof upstreamCheckInput;

/**
 * Widget-only: where a sign-in stands while the person is away at a provider
 * in another tab (polled every few seconds), or, with `cancel`, giving that up
 * for the password. Answers as authenticate-target does.
 */
@McpTool()
export class CheckUpstreamTool implements McpToolProvider<CheckInput> {
  readonly name = ToolName.checkUpstream;
  readonly descriptor: ToolDescriptor<CheckInput> = {
    title: 'Check a Target sign-in in another tab',
    description: 'Called by the sign-in widget only: says whether the sign-in in the other browser tab has finished.',
    inputSchema: upstreamCheckInput,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    _meta: appOnlyToolMeta,
  };

  constructor(
    private readonly upstream: UpstreamSignIn,
    private readonly screens: SignInScreens,
  ) {}

  async handle({ sessionId, cancel }: { sessionId: string; cancel?: boolean | undefined }) {
    if (cancel) await this.upstream.cancel(sessionId);
    const result = await this.screens.of(sessionId);
    return toolResult(result, result.authenticated ? 'Signed in to Target.' : 'The sign-in is not finished yet.');
  }
}
