import { describe, expect, it } from '@jest/globals';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { Account } from '../accounts/account-directory.js';
import { demoBackend } from '../accounts/account-backend.js';
import { LinkedProfiles } from '../oauth/linked-profiles.js';
import { LinkingService } from '../oauth/linking.service.js';
import { MemoryOAuthStorage } from '../oauth/oauth-storage.js';
import { testConfig } from '../testing/fakes.js';
import { AccountTool } from './account.tool.js';
import { runStep } from './tool-results.js';

const config = testConfig({ PUBLIC_URL: 'https://target.example' });
const CHALLENGE_START = 'Bearer resource_metadata="https://target.example/.well-known/oauth-protected-resource/mcp", scope="account:read"';

function setup() {
  const profiles = new LinkedProfiles(new MemoryOAuthStorage());
  // The tool asks linking only for the profile a link chose: the rest of linking is not needed here.
  const unused = undefined as never;
  const linking = new LinkingService(unused, unused, unused, unused, profiles, unused, unused, unused);
  const tool = new AccountTool(demoBackend(config).directory, linking, config);
  return { tool, profiles, linking };
}

const token = (accountId: string, scopes = ['account:read']): AuthInfo => ({ token: 't', clientId: 'client-1', scopes, extra: { accountId, grantId: 'g1' } });

describe(AccountTool.name, () => {
  it('declares oauth2 with account:read', () => {
    expect(setup().tool.descriptor.securitySchemes).toEqual([{ type: 'oauth2', scopes: ['account:read'] }]);
  });

  it('answers with the account the token names, and the profile chosen when linking', async () => {
    const { tool, profiles } = setup();
    await profiles.remember('demo:ada@example.com', 'client-1', 'Ada (kids)');
    const result = await runStep(() => tool.handle({}, { era: 'modern', authInfo: token('demo:ada@example.com') }));
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toEqual({ name: 'Lauren Bailey', email: 'ada@example.com', profile: 'Ada (kids)' });
    expect(result.content).toEqual([{ type: 'text', text: 'Linked Target account: Lauren Bailey (ada@example.com, profile Ada (kids)).' }]);
  });

  it('says no profile when none was chosen, and does not repeat a profile named as the account', async () => {
    const { tool, profiles } = setup();
    const none = await runStep(() => tool.handle({}, { era: 'legacy', authInfo: token('demo:ada@example.com') }));
    expect(none.structuredContent).toMatchObject({ profile: null });
    expect(none.content).toEqual([{ type: 'text', text: 'Linked Target account: Lauren Bailey (ada@example.com).' }]);
    await profiles.remember('demo:ada@example.com', 'client-1', 'Lauren Bailey');
    const same = await runStep(() => tool.handle({}, { era: 'legacy', authInfo: token('demo:ada@example.com') }));
    expect(same.content).toEqual([{ type: 'text', text: 'Linked Target account: Lauren Bailey (ada@example.com).' }]);
  });

  it('without a token, asks the host to link: isError with the WWW-Authenticate value in _meta', async () => {
    const result = await runStep(() => setup().tool.handle({}, { era: 'modern' }));
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toEqual({ error: 'link_required', message: 'Link your Target account to use this tool.' });
    expect(result.content).toEqual([{ type: 'text', text: 'Link your Target account to use this tool.' }]);
    expect(result._meta).toEqual({
      'mcp/www_authenticate': [`${CHALLENGE_START}, error="invalid_token", error_description="Link your Target account to use this tool."`],
    });
  });

  it('refuses a token without account:read as insufficient_scope', async () => {
    const result = await runStep(() => setup().tool.handle({}, { era: 'modern', authInfo: token('demo:ada@example.com', ['offline_access']) }));
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toEqual({ error: 'insufficient_scope', message: 'The linked account did not grant account:read.' });
    expect(result._meta).toEqual({
      'mcp/www_authenticate': [`${CHALLENGE_START}, error="insufficient_scope", error_description="The linked account did not grant account:read."`],
    });
  });

  it('asks to link again when the account is gone or disabled', async () => {
    const { linking } = setup();
    const gone = { findById: async (): Promise<Account | null> => null } as unknown as ConstructorParameters<typeof AccountTool>[0];
    const result = await runStep(() => new AccountTool(gone, linking, config).handle({}, { era: 'modern', authInfo: token('acct-deleted') }));
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ error: 'link_required', message: 'The linked Target account is no longer available. Link it again.' });
  });
});
