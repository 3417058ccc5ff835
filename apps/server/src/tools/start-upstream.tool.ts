import { ToolName, type UpstreamStartedResult } from '@target-auth/shared/tools';
import { upstreamInput } from '../session/session.inputs.js';
import { UpstreamSignIn } from '../upstream/upstream-sign-in.js';
import { appOnlyToolMeta, McpTool, type McpToolProvider, STEP_ANNOTATIONS, type ToolDescriptor } from './mcp-tool.js';
import { toolResult } from './tool-results.js';

type UpstreamInput = typeof upstreamInput;

/**
 * Widget-only: "Continue with Google" (or "Sign in with a passkey",
 * `provider: "passkey"`) in a chat. The widget cannot send its frame
 * anywhere, so this answers a start link for the host to open in the
 * person's browser and the code that page asks for; the widget then polls
 * check-target-upstream.
 */
@McpTool()
export class StartUpstreamTool implements McpToolProvider<UpstreamInput> {
  readonly name = ToolName.startUpstream;
  readonly descriptor: ToolDescriptor<UpstreamInput> = {
    title: 'Sign in to Target with another provider',
    description: 'Called by the sign-in widget only: starts a sign-in with Google, Microsoft, another provider or a passkey in a new browser tab.',
    inputSchema: upstreamInput,
    annotations: STEP_ANNOTATIONS,
    _meta: appOnlyToolMeta,
  };

  constructor(private readonly upstream: UpstreamSignIn) {}

  async handle({ sessionId, provider }: { sessionId: string; provider: string }) {
    const link = await this.upstream.startLink(sessionId, provider);
    const result: UpstreamStartedResult = { step: 'upstream', provider: link.provider, url: link.url, code: link.code, expiresAt: new Date(link.expiresAt).toISOString() };
    return toolResult(result, `Waiting for the user to sign in with ${link.provider.name} in a new browser tab.`);
  }
}
