import type { CallToolResult } from '@modelcontextprotocol/server';
import type { LinkedAccountResult } from '@target-auth/shared/linking';
import { ToolName } from '@target-auth/shared/tools';
import { AccountDirectory } from '../accounts/account-directory.js';
import { AppConfig } from '../config/app-config.js';
import { bearerChallenge, linkedIdentity } from '../oauth/bearer-auth.js';
import { LinkingService } from '../oauth/linking.service.js';
import { ACCOUNT_READ } from '../oauth/oauth-provider.js';
import { McpTool, type McpToolProvider, type ToolContext, type ToolDescriptor } from './mcp-tool.js';
import { toolResult, whoText } from './tool-results.js';

const OAUTH = [{ type: 'oauth2' as const, scopes: [ACCOUNT_READ] }];

/**
 * The linked account: who the access token belongs to. The identity comes
 * from the verified token (the request context), never from arguments; a
 * store's own tools (order history, checkout) follow the same pattern.
 * Without a usable token the result asks the host to link the account:
 * `_meta["mcp/www_authenticate"]` carries the same challenge a 401 would.
 */
@McpTool()
export class AccountTool implements McpToolProvider<undefined> {
  readonly name = ToolName.account;
  readonly descriptor: ToolDescriptor<undefined> = {
    title: 'Get the linked Target account',
    description:
      "Returns the name, e-mail and household profile of the user's linked Target account. " +
      'Needs the account to be linked (OAuth); if it is not, the host offers to connect it.',
    inputSchema: undefined,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    securitySchemes: OAUTH,
  };

  constructor(
    private readonly accounts: AccountDirectory,
    private readonly linking: LinkingService,
    private readonly config: AppConfig,
  ) {}

  async handle(_args: Record<string, never>, context: ToolContext): Promise<CallToolResult> {
    const identity = linkedIdentity(context.authInfo);
    if (!identity) return this.linkRequired('invalid_token', 'Link your Target account to use this tool.');
    if (!context.authInfo?.scopes.includes(ACCOUNT_READ)) {
      return this.linkRequired('insufficient_scope', `The linked account did not grant ${ACCOUNT_READ}.`);
    }
    const account = await this.accounts.findById(identity.accountId);
    if (!account) return this.linkRequired('invalid_token', 'The linked Target account is no longer available. Link it again.');
    const profile = await this.linking.profileFor(identity.accountId, context.authInfo.clientId);
    const result: LinkedAccountResult = { name: account.name, email: account.email, profile };
    return toolResult(result, `Linked Target account: ${whoText(result)}.`);
  }

  private linkRequired(code: 'invalid_token' | 'insufficient_scope', description: string): CallToolResult {
    return {
      isError: true,
      content: [{ type: 'text', text: description }],
      structuredContent: { error: code === 'invalid_token' ? 'link_required' : 'insufficient_scope', message: description },
      _meta: { 'mcp/www_authenticate': [bearerChallenge(this.config.publicUrl, { code, description })] },
    };
  }
}
