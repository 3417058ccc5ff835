import { ToolName } from '@target-auth/shared/tools';
import { sessionInput } from '../session/session.inputs.js';
import { WidgetResource } from '../widget/widget.resource.js';
import { SignInScreens } from './sign-in-screens.js';
import { McpTool, type McpToolProvider, type ToolDescriptor } from './mcp-tool.js';
import { toolResult, whoText } from './tool-results.js';

/** Shows the sign-in widget; on a signed-in session it opens on the success screen. */
@McpTool()
export class AuthenticateTool implements McpToolProvider<typeof sessionInput> {
  readonly name = ToolName.authenticate;
  constructor(
    private readonly screens: SignInScreens,
    private readonly widget: WidgetResource,
  ) {}

  /** Built on each read: the widget's URI changes with each new build. */
  get descriptor(): ToolDescriptor<typeof sessionInput> {
    const uri = this.widget.uri;
    return {
      title: 'Sign in to Target',
      description:
        'Shows the Target sign-in form for a session from create-target-session. The user types their ' +
        'email, password and 6-digit code into the form themselves; never ask for them in chat.',
      inputSchema: sessionInput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      _meta: {
        ui: { resourceUri: uri },
        'openai/outputTemplate': uri,
        'openai/toolInvocation/invoking': 'Opening Target sign-in…',
        'openai/toolInvocation/invoked': 'Target sign-in ready',
        'openai/widgetAccessible': true,
      },
    };
  }

  async handle({ sessionId }: { sessionId: string }) {
    const result = await this.screens.of(sessionId);
    if (result.authenticated) return toolResult(result, `Already signed in to Target as ${whoText(result)}.`);
    return toolResult(result, 'Authentication required. The user signs in with the form shown.');
  }
}
